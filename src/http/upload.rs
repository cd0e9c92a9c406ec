//! Reading an uploaded file: the multipart form of every import page (rolls, dapils, KPU
//! lists). The file is the field `berkas`; other fields come back as text. A body above the
//! route's limit, or cut off, is a 413 page naming the limit.

use std::collections::HashMap;

use axum::extract::Multipart;

use super::error::AppError;

/// The uploaded file and the form's other fields.
#[derive(Debug, Default)]
pub struct Upload {
    /// The file's name as the browser sent it (`fallback` when it sent none).
    pub filename: String,
    /// The file's bytes; empty when no file was chosen.
    pub content: Vec<u8>,
    pub fields: HashMap<String, String>,
}

impl Upload {
    /// Whether a checkbox field was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }
}

/// Reads the whole form; `limit` (bytes) is the route's body limit, named in the message.
pub async fn read(
    mut multipart: Multipart,
    limit: usize,
    fallback: &str,
) -> Result<Upload, AppError> {
    let too_big = || {
        AppError::TooLarge(format!(
            "Berkas terlalu besar atau terputus (batas {} MB).",
            limit / (1024 * 1024)
        ))
    };
    let mut upload = Upload {
        filename: fallback.to_owned(),
        ..Upload::default()
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "berkas" {
            if let Some(f) = field.file_name().filter(|f| !f.is_empty()) {
                upload.filename = f.to_owned();
            }
            upload.content = field.bytes().await.map_err(|_| too_big())?.to_vec();
        } else {
            let value = field.text().await.map_err(|_| too_big())?;
            upload.fields.insert(name, value);
        }
    }
    Ok(upload)
}
