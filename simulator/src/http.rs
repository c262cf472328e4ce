//! A minimal HTTP/1.1 reader and writer: enough for form POSTs with a `Content-Length`.

use std::io::{self, BufRead, Write};

/// Largest request head (request line and headers) accepted, in bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Largest request body accepted, in bytes. A full revocation form is under 2 KiB.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

pub(crate) struct HttpRequest {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub(crate) fn query(&self) -> &str {
        self.target.split_once('?').map(|(_, query)| query).unwrap_or_default()
    }

    pub(crate) fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

pub(crate) enum ReadError {
    /// The client closed the connection between requests.
    Closed,
    /// The request is not valid HTTP/1.1 or breaks a limit, so the server sends 400 and closes.
    Malformed(&'static str),
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

pub(crate) fn read_request(reader: &mut impl BufRead) -> Result<HttpRequest, ReadError> {
    let mut head_bytes = 0;
    let request_line = match read_line(reader, &mut head_bytes)? {
        None => return Err(ReadError::Closed),
        Some(line) => line,
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("invalid request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed("unsupported HTTP version"));
    }

    let mut headers = Vec::new();
    loop {
        let line =
            read_line(reader, &mut head_bytes)?.ok_or(ReadError::Malformed("connection closed inside the head"))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(ReadError::Malformed("header without a colon"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }

    let mut request = HttpRequest { method: method.to_owned(), target: target.to_owned(), headers, body: Vec::new() };
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Malformed("chunked bodies are not supported"));
    }
    let length: usize = match request.header("content-length") {
        None => 0,
        Some(text) => text.parse().map_err(|_| ReadError::Malformed("invalid Content-Length"))?,
    };
    if length > MAX_BODY_BYTES {
        return Err(ReadError::Malformed("body too large"));
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    Ok(request)
}

fn read_line(reader: &mut impl BufRead, head_bytes: &mut usize) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD_BYTES - *head_bytes) as u64 + 1;
    let read = std::io::Read::take(&mut *reader, limit).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    *head_bytes += read;
    if *head_bytes > MAX_HEAD_BYTES {
        return Err(ReadError::Malformed("request head too large"));
    }
    if !line.ends_with(b"\n") {
        return Err(ReadError::Malformed("connection closed inside the head"));
    }
    let text = String::from_utf8(line).map_err(|_| ReadError::Malformed("request head is not UTF-8"))?;
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()))
}

pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Announces this many bytes in `Content-Length` instead of the body's length.
    pub(crate) announced_length: Option<usize>,
}

impl HttpResponse {
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            announced_length: None,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

pub(crate) fn write_response(writer: &mut impl Write, response: &HttpResponse, close: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason_phrase(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = response.announced_length.unwrap_or(response.body.len());
    head.push_str(&format!("Content-Length: {length}\r\n"));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");

    writer.write_all(head.as_bytes())?;
    writer.write_all(&response.body)?;
    writer.flush()
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}
