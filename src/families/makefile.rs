//! The `Makefile` of everyday commands, left out when the `makefile` answer is no.

use super::Family;

/// The Makefile's path.
pub const PATH: &str = "Makefile";

/// The Makefile, when the `makefile` answer wants it.
pub const FAMILY: Family =
    Family::rendering("makefile", &[PATH]).wanted_when(|wants| wants.makefile);
