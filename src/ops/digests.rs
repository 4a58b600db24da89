//! Image digests for the `pin-digests` answer: asked of the registries with the user's docker, or read back from the lock.

use std::collections::BTreeMap;
use std::process::Command;

use crate::config::Config;
use crate::error::{Error, Result};

/// Where the digests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// The registries, now (`init`, `update`).
    Registries,
    /// A lock's digests, by the reference each pinned (`check`: no registry asked).
    Lock(&'a BTreeMap<String, String>),
}

/// With `pin-digests`, names each image of `config` with its digest from `source`.
pub fn pin(config: &mut Config, source: Source) -> Result<()> {
    if !config.images.pin_digests {
        return Ok(());
    }
    let mut digests = BTreeMap::new();
    let images: Vec<String> = config.images_mut().into_iter().map(|i| i.clone()).collect();
    for image in images {
        if image.contains('@') || digests.contains_key(&image) {
            continue;
        }
        let digest = match source {
            Source::Registries => Some(ask_registry(&image)?),
            Source::Lock(locked) => locked.get(&image).cloned(),
        };
        if let Some(digest) = digest {
            digests.insert(image, digest);
        }
    }
    config.pin(&digests);
    Ok(())
}

/// The digest `docker buildx imagetools inspect` reports for `image` (the index of a
/// multi-platform image, as a pull by tag resolves it).
fn ask_registry(image: &str) -> Result<String> {
    let failed = |why: String| Error::Digest {
        message: format!("could not resolve `{image}`: {why}"),
    };
    let out = Command::new("docker")
        .args([
            "buildx",
            "imagetools",
            "inspect",
            "--format",
            "{{json .Manifest}}",
            image,
        ])
        .output()
        .map_err(|e| failed(format!("docker: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(failed(format!(
            "`docker buildx imagetools inspect` failed: {}",
            first.trim()
        )));
    }
    digest_of(&String::from_utf8_lossy(&out.stdout))
        .ok_or_else(|| failed("docker printed no sha256 digest".into()))
}

/// The `digest` of a manifest descriptor as JSON, when it is a sha256 digest.
fn digest_of(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let digest = value.get("digest")?.as_str()?;
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| digest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_descriptor_gives_its_sha256_digest_and_nothing_else_passes() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        let json = format!(
            "{{\"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"digest\": \"{digest}\", \"size\": 1609}}"
        );
        assert_eq!(digest_of(&json), Some(digest));
        assert_eq!(digest_of("{\"digest\": \"sha256:abc\"}"), None);
        assert_eq!(digest_of("{\"digest\": \"md5:00\"}"), None);
        assert_eq!(digest_of("not json"), None);
    }
}
