//! A self-signed certificate for 127.0.0.1 and localhost, written as the PEM files that
//! `serve --tls-cert CERT.pem --tls-key KEY.pem` reads. Shared by the test binaries.

use std::path::{Path, PathBuf};

pub struct TestCertificate {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The certificate itself, for clients to trust.
    pub pem: String,
}

/// A fresh certificate and key in `dir`, named `{name}.pem` and `{name}.key.pem`.
pub fn self_signed(dir: &Path, name: &str) -> TestCertificate {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("a self-signed certificate");
    let (cert_path, key_path) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key.pem")),
    );
    std::fs::write(&cert_path, cert.pem()).expect("certificate written");
    std::fs::write(&key_path, signing_key.serialize_pem()).expect("key written");
    TestCertificate {
        cert: cert_path,
        key: key_path,
        pem: cert.pem(),
    }
}
