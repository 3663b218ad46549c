//! `keepopen sbom`: the CycloneDX bill of materials of a working tree.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, output: Option<&Path>) -> Result<ExitCode> {
    if !path.is_dir() {
        bail!("{}: not a folder", path.display());
    }
    let built = keepopen_deps::sbom::build(path);
    let mut json = serde_json::to_vec_pretty(&built.bom).context("rendering the SBOM")?;
    json.push(b'\n');
    match output {
        Some(o) => {
            std::fs::write(o, &json).with_context(|| format!("cannot write {}", o.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(&json).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing the SBOM");
            }
        }
    }
    for e in &built.errors {
        eprintln!("error: {e}");
    }
    eprintln!(
        "{} components from {} lockfile{}",
        built.bom_components(),
        built.lockfiles,
        if built.lockfiles == 1 { "" } else { "s" }
    );
    // A lockfile that could not be read leaves the SBOM incomplete.
    Ok(if built.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
