//! TLS settings from PEM files. The `ring` provider is named explicitly,
//! so no process-wide default has to be installed; PEM files are parsed by
//! rustls' own `pki-types`.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{
    ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig, ServerConnection,
};

use super::session_error;
use crate::io::socket::TlsError;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Server-side TLS settings: a certificate chain and its private key.
/// Cheap to clone.
#[derive(Clone)]
pub struct TlsServer {
    config: Arc<ServerConfig>,
}

impl TlsServer {
    /// Loads the certificate chain (`cert`, PEM, leaf first) and its private
    /// key (`key`, PEM: PKCS#8, PKCS#1 or SEC1). They may be the same file.
    ///
    /// # Errors
    ///
    /// When a file cannot be read, holds no certificate or key, or the key
    /// does not fit the certificate.
    pub fn from_pem_files(
        cert: impl AsRef<Path>,
        key: impl AsRef<Path>,
    ) -> Result<TlsServer, TlsError> {
        let (cert, key) = (cert.as_ref(), key.as_ref());
        let chain = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|err| TlsError::config(format!("{}: {err}", cert.display())))?;
        if chain.is_empty() {
            return Err(TlsError::config(format!(
                "{}: no certificate",
                cert.display()
            )));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|err| TlsError::config(format!("{}: {err}", key.display())))?;
        let config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::bad_config)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(TlsError::bad_config)?;
        Ok(TlsServer {
            config: Arc::new(config),
        })
    }
}

/// Client-side TLS settings: the certificates to trust and, optionally, the
/// name to check the server's certificate against. Cheap to clone.
#[derive(Clone)]
pub struct TlsClient {
    config: Arc<ClientConfig>,
    server_name: Option<String>,
}

impl TlsClient {
    /// Trusts the certificates in `ca` (PEM): the server's own self-signed
    /// certificate, as pycos uses it, or a private CA.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or holds no usable certificate.
    pub fn from_pem_file(ca: impl AsRef<Path>) -> Result<TlsClient, TlsError> {
        let ca = ca.as_ref();
        let mut roots = RootCertStore::empty();
        let certs = CertificateDer::pem_file_iter(ca)
            .map_err(|err| TlsError::config(format!("{}: {err}", ca.display())))?;
        for cert in certs {
            let cert = cert.map_err(|err| TlsError::config(format!("{}: {err}", ca.display())))?;
            roots.add(cert).map_err(TlsError::bad_config)?;
        }
        if roots.is_empty() {
            return Err(TlsError::config(format!(
                "{}: no certificate",
                ca.display()
            )));
        }
        let config = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::bad_config)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(TlsClient {
            config: Arc::new(config),
            server_name: None,
        })
    }

    /// Checks the server's certificate against `name` (a DNS name or an IP
    /// address) instead of the address connected to.
    #[must_use]
    pub fn server_name(mut self, name: impl Into<String>) -> TlsClient {
        self.server_name = Some(name.into());
        self
    }

    /// A session for a connection to `peer`.
    pub(in crate::io::socket) fn session(
        &self,
        peer: Option<SocketAddr>,
    ) -> io::Result<Connection> {
        let name = match (&self.server_name, peer) {
            (Some(name), _) => ServerName::try_from(name.clone()).map_err(|err| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    TlsError::config(format!("{name}: {err}")),
                )
            })?,
            (None, Some(peer)) => ServerName::IpAddress(peer.ip().into()),
            (None, None) => return Err(io::ErrorKind::NotConnected.into()),
        };
        let conn = ClientConnection::new(self.config.clone(), name).map_err(session_error)?;
        Ok(Connection::Client(conn))
    }
}

impl TlsServer {
    pub(in crate::io::socket) fn session(&self) -> io::Result<Connection> {
        Ok(Connection::Server(
            ServerConnection::new(self.config.clone()).map_err(session_error)?,
        ))
    }
}

impl fmt::Debug for TlsServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsServer").finish_non_exhaustive()
    }
}

impl fmt::Debug for TlsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsClient")
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}
