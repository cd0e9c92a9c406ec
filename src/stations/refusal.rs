//! One way a stations form says "not saved": a [`Refusal`] carries the status (409 for a
//! stale form, 422 for a value the user must fix), the message and what the user typed; the
//! page the form came from is shown again with them. A form's step returns
//! `Err(refusal.into())`, so the transaction it holds is dropped by scope and nothing is
//! written.

use axum::http::StatusCode;

use crate::http::error::{AppError, Result};

/// What the user typed into a TPS form, as `(label, value)` pairs.
pub type Typed = Vec<(String, String)>;

pub struct Refusal<T = Typed> {
    pub status: StatusCode,
    pub message: String,
    pub typed: T,
}

impl<T> Refusal<T> {
    /// A value the user must fix (422).
    pub fn invalid(message: impl Into<String>, typed: T) -> Self {
        Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
            typed,
        }
    }

    /// Someone else changed the data since the form was shown (409).
    pub fn conflict(message: impl Into<String>, typed: T) -> Self {
        Refusal {
            status: StatusCode::CONFLICT,
            message: message.into(),
            typed,
        }
    }

    /// The TPS changed since the form was shown (409).
    pub fn stale(typed: T) -> Self {
        Refusal::conflict(
            "TPS ini sudah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan: \
             nilai terbaru ditampilkan di bawah, dan isian Anda tercantum di sini untuk \
             dimasukkan lagi.",
            typed,
        )
    }
}

/// Why a form's step did not finish: refused (the form is shown again) or failed.
pub enum Rejected<T = Typed> {
    Refused(Box<Refusal<T>>),
    Failed(AppError),
}

pub type FormResult<R, T = Typed> = std::result::Result<R, Rejected<T>>;

impl<T> From<Refusal<T>> for Rejected<T> {
    fn from(r: Refusal<T>) -> Self {
        Rejected::Refused(Box::new(r))
    }
}

impl<T> From<AppError> for Rejected<T> {
    fn from(e: AppError) -> Self {
        Rejected::Failed(e)
    }
}

impl<T> From<sqlx::Error> for Rejected<T> {
    fn from(e: sqlx::Error) -> Self {
        Rejected::Failed(e.into())
    }
}

/// Splits a form's outcome: a failure becomes the handler's error, a refusal stays for the
/// page to show.
pub fn settle<R, T>(outcome: FormResult<R, T>) -> Result<std::result::Result<R, Refusal<T>>> {
    match outcome {
        Ok(r) => Ok(Ok(r)),
        Err(Rejected::Refused(r)) => Ok(Err(*r)),
        Err(Rejected::Failed(e)) => Err(e),
    }
}

/// Whether a write failed on a unique constraint (a TPS number taken twice).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}
