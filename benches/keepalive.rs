//! Revocations per second through the Rust API over one keep-alive HTTPS connection,
//! and the minimal fixed-reply HTTPS server that benches/keepalive.py measures every
//! client against.
//!
//! - `cargo bench --bench keepalive -- ENDPOINT CA_FILE REQUESTS` sends REQUESTS
//!   revocations of certificate ID 2000005 with the simulator's demo login and prints
//!   one `rust_api requests=N seconds=S per_second=R` line. Every response must be
//!   code -21 (already revoked), which both servers below send for this certificate.
//! - `cargo bench --bench keepalive -- serve READY_FILE CA_FILE` runs the fixed-reply
//!   server: it sends `errorCode=-21&errorMessage=...` to every POST, on 127.0.0.1, with
//!   a CA and server certificate that the `openssl` command generates. It writes the CA
//!   certificate to CA_FILE, then the endpoint URL to READY_FILE, and runs until killed.
//!   Unlike the simulator, it does no parsing, checking or logging, so the clients'
//!   own costs decide the figures.
//! - Without arguments, the benchmark starts a simulator in this process and sends
//!   2,000 requests.

use std::path::Path;
use std::time::{Duration, Instant};

use sectigo_revoke::{Client, Credentials, OutcomeKind, ProxySetting, Revocation, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig, DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD};

/// A certificate the built-in catalogue lists as revoked, so repeats change nothing.
const CERTIFICATE_ID: u64 = 2_000_005;
const DEFAULT_REQUESTS: u32 = 2_000;

fn main() {
    // cargo bench passes `--bench`; everything else is ours.
    let arguments: Vec<String> = std::env::args().skip(1).filter(|argument| argument != "--bench").collect();

    if let [command, ready_file, ca_file] = arguments.as_slice() {
        if command == "serve" {
            fixed_reply::serve(Path::new(ready_file), Path::new(ca_file));
            return;
        }
    }

    let _own_simulator;
    let (endpoint, root_store, requests) = match arguments.as_slice() {
        [endpoint, ca_file, requests] => {
            let requests = requests.parse().expect("REQUESTS is a whole number");
            (endpoint.clone(), RootStore::CaBundle(ca_file.into()), requests)
        }
        [] => {
            let simulator = Simulator::start(SimulatorConfig::default()).expect("the simulator starts on loopback");
            let root_store = RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec());
            let endpoint = simulator.endpoint();
            _own_simulator = simulator;
            (endpoint, root_store, DEFAULT_REQUESTS)
        }
        _ => {
            panic!("usage: cargo bench --bench keepalive [-- ENDPOINT CA_FILE REQUESTS | -- serve READY_FILE CA_FILE]")
        }
    };

    let credentials = Credentials::new(DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD).expect("the demo login is valid");
    let client = Client::builder(credentials)
        .endpoint(endpoint)
        .root_store(root_store)
        .proxy(ProxySetting::None)
        .build()
        .expect("the client builds");
    let revocation = Revocation::builder().certificate_id(CERTIFICATE_ID).build().expect("the request is valid");

    // The first request opens the connection and completes the TLS handshake.
    revoke_once(&client, &revocation);
    let started = Instant::now();
    for _ in 0..requests {
        revoke_once(&client, &revocation);
    }
    let elapsed = started.elapsed();

    println!(
        "rust_api requests={requests} seconds={:.3} per_second={:.1}",
        elapsed.as_secs_f64(),
        f64::from(requests) / elapsed.as_secs_f64().max(Duration::from_nanos(1).as_secs_f64())
    );
}

fn revoke_once(client: &Client, revocation: &Revocation) {
    let outcome = client.revoke(revocation).expect("the simulator responds");
    assert_eq!(outcome.kind(), OutcomeKind::AlreadyRevoked);
}

/// The fixed-reply HTTPS server: one thread per connection, keep-alive, the same body
/// for every request.
mod fixed_reply {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::Arc;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use rustls::{ServerConnection, StreamOwned};

    /// The body the simulator sends for an already revoked certificate.
    const BODY: &str = "errorCode=-21&errorMessage=The+certificate+has+already+been+revoked.";
    /// Largest request body read, in bytes.
    const MAX_BODY_BYTES: usize = 64 * 1024;

    pub fn serve(ready_file: &Path, ca_file: &Path) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (certificate, key) = generate_certificates(dir.path(), ca_file);
        let chain = vec![CertificateDer::from_pem_file(&certificate).expect("the server certificate is PEM")];
        let key = PrivateKeyDer::from_pem_file(&key).expect("the server key is PEM");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("the default protocol versions are supported")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("the certificate and key match");
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
        let address = listener.local_addr().expect("the listener has an address");
        let endpoint = format!("https://{address}/products/!AutoRevokeCertificate");
        std::fs::write(ready_file, endpoint).expect("the ready file is written");

        for stream in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || respond_until_closed(stream, config));
        }
    }

    /// Creates a CA, writes its certificate to `ca_file`, and returns the paths of a
    /// server certificate for 127.0.0.1 that it signed and of the server's key.
    fn generate_certificates(dir: &Path, ca_file: &Path) -> (PathBuf, PathBuf) {
        let text = |path: PathBuf| path.to_str().expect("temporary paths are UTF-8").to_owned();
        let ca_file = ca_file.to_str().expect("the CA file's path is UTF-8");
        let ca_key = text(dir.join("ca.key"));
        let (key, request, certificate) =
            (text(dir.join("server.key")), text(dir.join("server.csr")), text(dir.join("server.pem")));
        let extensions = text(dir.join("server.ext"));
        std::fs::write(&extensions, "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n")
            .expect("the extensions file is written");

        let new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        let ca_extensions =
            ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"];
        let ca_output = ["-keyout", &ca_key, "-out", ca_file, "-days", "2", "-subj", "/CN=keepalive benchmark CA"];
        openssl(&[&["req", "-x509"], &new_key[..], &ca_output[..], &ca_extensions[..]].concat());
        openssl(&[&["req"], &new_key[..], &["-keyout", &key, "-out", &request, "-subj", "/CN=127.0.0.1"]].concat());
        openssl(&[
            "x509",
            "-req",
            "-in",
            &request,
            "-CA",
            ca_file,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-out",
            &certificate,
            "-days",
            "2",
            "-extfile",
            &extensions,
        ]);
        (PathBuf::from(certificate), PathBuf::from(key))
    }

    fn openssl(arguments: &[&str]) {
        let output = Command::new("openssl").args(arguments).output().expect("the openssl command runs");
        assert!(output.status.success(), "openssl {arguments:?}: {}", String::from_utf8_lossy(&output.stderr));
    }

    /// Reads requests on one connection and sends the fixed response to each, until
    /// the client closes it or sends something that is not a request with a body.
    fn respond_until_closed(stream: TcpStream, config: Arc<rustls::ServerConfig>) {
        let _ = stream.set_nodelay(true);
        let Ok(connection) = ServerConnection::new(config) else { return };
        let mut reader = BufReader::new(StreamOwned::new(connection, stream));
        let response =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{BODY}", BODY.len());
        let mut line = String::new();
        let mut body = vec![0; MAX_BODY_BYTES];

        loop {
            let mut content_length = 0;
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        content_length = value.trim().parse().unwrap_or(usize::MAX);
                    }
                }
            }
            if content_length > MAX_BODY_BYTES || reader.read_exact(&mut body[..content_length]).is_err() {
                return;
            }
            let stream = reader.get_mut();
            if stream.write_all(response.as_bytes()).and_then(|()| stream.flush()).is_err() {
                return;
            }
        }
    }
}
