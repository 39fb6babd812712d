//! The `evidence:` URI scheme: streams an item's decrypted bytes from the vault to the webview for preview.
//! Never a temp file and never a whole large file over IPC: Range requests read only the chunks asked for.
//! Responses are `no-store`, so WebKit keeps no copy in its disk cache, and carry a sandboxing content security
//! policy, so a response opened as a page could run nothing. Pictures are never handed over as they are: the
//! isolated worker decodes and re-encodes them (`preview_picture`), so the webview never parses their bytes.

use redress_core::Code;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// Largest body sent without a Range request (images, small PDFs).
const MAX_WHOLE: u64 = 64 * 1024 * 1024;
/// Largest slice sent for one Range request.
const MAX_RANGE: u64 = 8 * 1024 * 1024;

/// The headers every `evidence:` response carries: not stored, not sniffed, shown inline, and sandboxed with
/// nothing allowed should it ever be opened as a document of its own.
fn guarded(status: StatusCode, content_type: &str) -> tauri::http::response::Builder {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'")
        .header(header::CONTENT_DISPOSITION, "inline")
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    guarded(status, "text/plain; charset=utf-8").body(text.as_bytes().to_vec()).unwrap_or_default()
}

fn allowed_origin(origin: &str) -> bool {
    matches!(origin, "tauri://localhost" | "http://tauri.localhost" | "https://tauri.localhost")
}

/// Types the webview may render; anything else is served as opaque bytes it will not interpret.
fn safe_type(mime: &str) -> &str {
    if mime == "application/pdf"
        || mime == "text/plain"
        || (mime.starts_with("image/") && mime != "image/svg+xml")
    {
        mime
    } else {
        "application/octet-stream"
    }
}

fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let (start, end) = if start.is_empty() {
        let suffix: u64 = end.parse().ok()?;
        (size.saturating_sub(suffix), size.checked_sub(1)?)
    } else {
        let start: u64 = start.parse().ok()?;
        let end = if end.is_empty() {
            size.checked_sub(1)?
        } else {
            end.parse::<u64>().ok()?.min(size.checked_sub(1)?)
        };
        (start, end)
    };
    (start <= end && end < size).then_some((start, end))
}

/// The `Content-Range` of `len` bytes read at `start` of a `size`-byte item; `None` if nothing was read or the
/// bytes would end past the item.
fn content_range(start: u64, len: usize, size: u64) -> Option<String> {
    let end = start.checked_add(u64::try_from(len).ok()?)?.checked_sub(1)?;
    (len > 0 && end < size).then(|| format!("bytes {start}-{end}/{size}"))
}

/// `evidence://localhost/draft/<request id>/<language>`: the CCF draft rendered for the page preview.
fn draft<R: Runtime>(app: &AppHandle<R>, rest: &str, origin: &str) -> Response<Vec<u8>> {
    let mut parts = rest.split('/');
    let (Some(Ok(id)), Some(language)) = (parts.next().map(str::parse::<i64>), parts.next()) else {
        return plain(StatusCode::BAD_REQUEST, "expected evidence://localhost/draft/<id>/<language>");
    };
    let state = app.state::<AppState>();
    // Annex pages are counted in workers, outside the session lock; the draft is then made under it.
    let rendered = redress_core::pdf::isolate::Worker::beside_current_exe()
        .map_err(crate::error::CommandError::from)
        .and_then(|worker| redress_core::ccf::draft::count_annex_pages(&*state, &worker, id))
        .and_then(|pages| {
            state.with_vault(|vault| {
                Ok(redress_core::ccf::draft::render(vault.journal(), id, Some(language), &pages)?)
            })
        });
    match rendered {
        Ok(rendered) => {
            let mut builder = guarded(StatusCode::OK, "application/pdf");
            if allowed_origin(origin) {
                builder = builder.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            builder.body(rendered.bytes).unwrap_or_default()
        }
        Err(e) if e.code == Code::Locked => plain(StatusCode::FORBIDDEN, "locked"),
        Err(e) => plain(StatusCode::UNPROCESSABLE_ENTITY, &e.message),
    }
}

pub fn respond<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    if let Some(rest) = request.uri().path().strip_prefix("/draft/") {
        let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("");
        return draft(app, rest, origin);
    }
    let Some(id) = request.uri().path().trim_start_matches('/').parse::<i64>().ok() else {
        return plain(StatusCode::BAD_REQUEST, "expected evidence://localhost/<id>");
    };
    let state = app.state::<AppState>();
    let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("");
    let allowed_origin = allowed_origin(origin);
    let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let result = state.with_vault(|vault| {
        let item = vault.journal().evidence(id)?;
        let size = item.state.size;
        if item.state.mime.starts_with("image/") {
            if size > MAX_WHOLE {
                return Ok(Err(StatusCode::PAYLOAD_TOO_LARGE));
            }
            let bytes = vault.journal().read_evidence_range(id, 0, size as usize)?;
            return Ok(Ok(Served::Picture(bytes)));
        }
        let (status, start, len) = match range.as_deref().map(|r| parse_range(r, size)) {
            Some(Some((start, end))) => {
                (StatusCode::PARTIAL_CONTENT, start, (end - start + 1).min(MAX_RANGE))
            }
            Some(None) => return Ok(Err(StatusCode::RANGE_NOT_SATISFIABLE)),
            None if size <= MAX_WHOLE => (StatusCode::OK, 0, size),
            None => return Ok(Err(StatusCode::PAYLOAD_TOO_LARGE)),
        };
        let body = vault.journal().read_evidence_range(id, start, len as usize)?;
        Ok(Ok(Served::Bytes { status, start, size, mime: item.state.mime, body }))
    });
    match result {
        // Re-encoded in the worker, outside the session lock (a hostile picture may take its full time bound).
        Ok(Ok(Served::Picture(original))) => {
            let preview = redress_core::pdf::isolate::Worker::beside_current_exe()
                .ok()
                .and_then(|worker| redress_core::pdf::isolate::preview_picture(&worker, &original).ok());
            drop(original);
            let Some((mime, body)) = preview else {
                return plain(StatusCode::UNPROCESSABLE_ENTITY, "this picture cannot be shown");
            };
            let mut builder =
                guarded(StatusCode::OK, mime).header(header::CONTENT_LENGTH, body.len().to_string());
            if allowed_origin {
                builder = builder.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            builder.body(body).unwrap_or_default()
        }
        Ok(Ok(Served::Bytes { status, start, size, mime, body })) => {
            let mut builder = guarded(status, safe_type(&mime))
                .header(header::ACCEPT_RANGES, "bytes")
                .header(header::CONTENT_LENGTH, body.len().to_string());
            if allowed_origin {
                builder = builder.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            if status == StatusCode::PARTIAL_CONTENT {
                // A damaged item can read back shorter than asked, even empty: that is an error, not a panic.
                let Some(range) = content_range(start, body.len(), size) else {
                    return plain(StatusCode::INTERNAL_SERVER_ERROR, "could not read the item");
                };
                builder = builder.header(header::CONTENT_RANGE, range);
            }
            builder.body(body).unwrap_or_default()
        }
        Ok(Err(status)) => plain(status, "not available for preview"),
        Err(e) if e.code == Code::Locked => plain(StatusCode::FORBIDDEN, "locked"),
        Err(e) if e.code == Code::NotFound => plain(StatusCode::NOT_FOUND, "no such item"),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "could not read the item"),
    }
}

/// What a preview request is answered with, read under the session lock.
enum Served {
    /// An evidence picture, still to be re-encoded by the worker.
    Picture(Vec<u8>),
    /// Bytes served as they are (PDF for pdf.js, text, or opaque bytes), whole or one range.
    Bytes { status: StatusCode, start: u64, size: u64, mime: String, body: Vec<u8> },
}

#[cfg(test)]
mod tests {
    use super::{content_range, guarded, parse_range, plain, safe_type};
    use tauri::http::{header, StatusCode};

    #[test]
    fn every_response_is_sandboxed_inline_and_not_stored() {
        for response in [
            plain(StatusCode::NOT_FOUND, "no such item"),
            guarded(StatusCode::OK, "image/png").body(Vec::new()).unwrap(),
        ] {
            let h = response.headers();
            assert_eq!(h[header::CONTENT_SECURITY_POLICY], "sandbox; default-src 'none'");
            assert_eq!(h[header::CONTENT_DISPOSITION], "inline");
            assert_eq!(h[header::CACHE_CONTROL], "no-store");
            assert_eq!(h["X-Content-Type-Options"], "nosniff");
        }
    }

    #[test]
    fn only_types_the_webview_renders_safely_keep_their_type() {
        assert_eq!(safe_type("application/pdf"), "application/pdf");
        assert_eq!(safe_type("image/svg+xml"), "application/octet-stream");
        assert_eq!(safe_type("text/html"), "application/octet-stream");
    }

    #[test]
    fn ranges_are_clamped_to_the_file() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(parse_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(parse_range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(parse_range("bytes=990-5000", 1000), Some((990, 999)));
        assert_eq!(parse_range("bytes=1000-", 1000), None);
        assert_eq!(parse_range("items=1-2", 1000), None);
    }

    #[test]
    fn an_empty_or_overlong_read_has_no_content_range() {
        assert_eq!(content_range(0, 100, 1000).as_deref(), Some("bytes 0-99/1000"));
        assert_eq!(content_range(990, 10, 1000).as_deref(), Some("bytes 990-999/1000"));
        assert_eq!(content_range(0, 0, 1000), None, "an empty body at 0 must not underflow");
        assert_eq!(content_range(500, 0, 1000), None, "an empty body is an error, not a range");
        assert_eq!(content_range(995, 10, 1000), None, "bytes past the item are refused");
        assert_eq!(content_range(u64::MAX, 2, u64::MAX), None, "no overflow at the top either");
    }
}
