//! The `Makefile` of everyday commands, left out when the `makefile` answer is no.

use super::{Family, Wants, same_path};

/// The Makefile's path.
pub const PATH: &str = "Makefile";

/// The Makefile, when the `makefile` answer wants it.
pub const FAMILY: Family = Family {
    name: "makefile",
    templates: &[PATH],
    written: &[],
    wanted: |wants: &Wants| wants.makefile,
    files: same_path,
};
