//! Reading a multipart form with a limit on every field, so a hostile body cannot make the server
//! hold more than the route allows: text fields are small, files have their own cap (a file over
//! it is drained and remembered as too large, so the form can say so next to its field).
use axum::extract::Multipart;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes of one text field.
    pub text: usize,
    /// Bytes of one file.
    pub file: usize,
    /// Fields in all.
    pub fields: usize,
}

impl Limits {
    pub const fn files(file: usize) -> Limits {
        Limits { text: 64 * 1024, file, fields: 40 }
    }
}

/// The fields of a form: text by name, files by name (with the name the browser gave them).
#[derive(Default, Debug)]
pub struct Form {
    pub text: HashMap<String, String>,
    pub files: HashMap<String, Vec<u8>>,
    pub file_names: HashMap<String, String>,
    /// File fields that were over the limit (their bytes were not kept).
    pub too_large: Vec<String>,
}

impl Form {
    /// A text field, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> String {
        self.text.get(name).map(|s| s.trim().to_string()).unwrap_or_default()
    }
}

/// Why a body was not read: malformed, or a text field or the field count over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    Malformed,
    TooLarge,
}

impl ReadError {
    pub fn status(self) -> http::StatusCode {
        match self {
            ReadError::Malformed => http::StatusCode::BAD_REQUEST,
            ReadError::TooLarge => http::StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

pub async fn read(mut mp: Multipart, limits: Limits) -> Result<Form, ReadError> {
    let mut out = Form::default();
    let mut count = 0;
    while let Some(mut field) = mp.next_field().await.map_err(|_| ReadError::Malformed)? {
        count += 1;
        if count > limits.fields {
            return Err(ReadError::TooLarge);
        }
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(String::from);
        let cap = if file_name.is_some() { limits.file } else { limits.text };
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.chunk().await.map_err(|_| ReadError::Malformed)? {
            if over || bytes.len() + chunk.len() > cap {
                // Keep reading (the body must be consumed) but keep nothing.
                over = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            Some(_) if over => out.too_large.push(name),
            Some(file_name) => {
                if !bytes.is_empty() {
                    out.file_names.insert(name.clone(), file_name);
                    out.files.insert(name, bytes);
                }
            }
            None if over => return Err(ReadError::TooLarge),
            None => {
                out.text.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(out)
}
