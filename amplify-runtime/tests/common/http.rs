//! Raw HTTP to the emulator: gets, viewer requests through its gateway, JSON posts, and
//! the Cognito and Lambda calls tests make without an SDK client.

/// A plain GET of `path` on the emulator: the whole answer (status line, headers,
/// body), `None` when it cannot be reached.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// A GET of `path` on `host` through the emulator's gateway, as a viewer over HTTPS:
/// the status code, the headers (names lower-cased) and the body.
pub fn viewer_get(port: u16, host: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    raw_request(
        port,
        "GET",
        path,
        &[("Host", host), ("X-Forwarded-Proto", "https")],
    )
}

/// One HTTP/1.1 request to the emulator, answered in full: status, headers (names in
/// lower case), body.
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("Connection: close\r\n\r\n");
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {out}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// One HTTP POST of `body` to `path` of the emulator; the answer's body as JSON.
pub fn post_json(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) -> serde_json::Value {
    let body = body.to_string();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut request = format!("POST {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!(
        "content-length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    use std::io::{Read, Write};
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (_, body) = out.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// A Cognito user-pools call to the emulator (AWS JSON 1.1), its answer.
pub fn cognito(port: u16, action: &str, body: serde_json::Value) -> serde_json::Value {
    let target = format!("AWSCognitoIdentityProviderService.{action}");
    post_json(
        port,
        "/",
        &[
            ("Host", &format!("127.0.0.1:{port}")),
            ("X-Amz-Target", &target),
            ("content-type", "application/x-amz-json-1.1"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &body,
    )
}

/// Invokes a Lambda function of the emulator by name (raw HTTP, any signature), its
/// answer as JSON.
pub fn invoke(port: u16, function: &str) -> serde_json::Value {
    post_json(
        port,
        &format!("/2015-03-31/functions/{function}/invocations"),
        &[
            ("Host", &format!("127.0.0.1:{port}")),
            ("content-type", "application/json"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &serde_json::json!({}),
    )
}

/// The trust policy (`AssumeRolePolicyDocument`) of IAM role `role` in the emulator, as
/// JSON (IAM's query API answers it percent-encoded in XML).
pub fn role_trust_policy(port: u16, role: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let body = format!("Action=GetRole&Version=2010-05-08&RoleName={role}");
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n\
         content-length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let encoded = out
        .split_once("<AssumeRolePolicyDocument>")
        .and_then(|(_, rest)| rest.split_once("</AssumeRolePolicyDocument>"))
        .unwrap_or_else(|| panic!("no trust policy for role {role}: {out}"))
        .0;
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(decoded).unwrap().replace("&quot;", "\"");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
