//! A form extractor whose rejection (a missing field, a value of the wrong kind, a body that
//! is not a form) is an Indonesian 400 page instead of axum's plain-text message.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(
                AppError::TooLarge("Isian formulir terlalu besar (batas 2 MB).".into()),
            ),
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
