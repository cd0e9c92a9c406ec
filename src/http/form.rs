//! A form extractor whose rejection (a missing field, a value of the wrong kind, a body that
//! is not a form, a NUL byte) is an Indonesian 400 page instead of axum's plain-text message.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::http::error::AppError;

pub struct Form<T>(pub T);

/// Urlencoded forms are small; files go as multipart.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let too_large = || AppError::TooLarge("Isian formulir terlalu besar (batas 2 MB).".into());
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| too_large())?;
        if bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00") {
            return Err(AppError::BadRequest(
                "Isian formulir memuat karakter NUL yang tidak diizinkan.".into(),
            ));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(too_large())
            }
            Err(rejection) => {
                tracing::debug!(%rejection, "form rejected");
                Err(AppError::BadRequest(
                    "Isian formulir tidak lengkap atau tidak dapat dibaca. Muat ulang halaman, \
                     lalu isi dan kirim lagi."
                        .into(),
                ))
            }
        }
    }
}
