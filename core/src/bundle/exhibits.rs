//! One exhibit made ready to be laid out (`Part`) from its bytes and the isolated worker's answer: its pages, its
//! picture, its text, or a placeholder page naming the file and its SHA-256 and saying why. The original is
//! attached only where the person asked for it, and never when the reader crashed or timed out on it.

use super::plan::{Look, Treatment};
use super::texts::{fill, human_size, Texts};
use super::{MAX_ATTACHMENT, MAX_TEXT_SHOWN};
use crate::isolate::Failure;
use crate::pdf::merge::{Attachment, Exhibit};
use crate::pdf::picture::{Encoding, Prepared};
use crate::records::evidence::EvidenceItem;

/// An exhibit made ready from its bytes (none when they are not read) and, for PDFs and pictures, the worker's
/// answer: its pages, its picture, its text, or a placeholder page with its SHA-256. The original is attached
/// only as `look` says (the person asked for it), and never when the reader crashed or timed out on it.
pub(super) fn exhibit_part(
    number: u32,
    item: &EvidenceItem,
    look: &Look,
    bytes: Option<Vec<u8>>,
    answer: Option<Answer>,
    t: &Texts,
) -> Part {
    let mut part = Part {
        number,
        evidence: item.id,
        title: item.state.title.clone(),
        sha256: item.state.sha256.clone(),
        body: Body::Placeholder { reason: t.reason_type.clone(), note: Note::NotAttached },
        failure: None,
        attachment: None,
    };
    let failed = |f: &Failure| {
        let why = match f {
            Failure::Encrypted => &t.failure_encrypted,
            Failure::Unreadable(_) => &t.failure_unreadable,
            Failure::Crashed => &t.failure_crashed,
            Failure::TimedOut => &t.failure_timed_out,
            Failure::Unavailable(_) => &t.failure_unavailable,
        };
        fill(&t.reason_failed, &[("why", fill(why, &[("detail", f.detail().to_owned())]))])
    };
    let mut attach = look.attach;
    let mut withheld = false;
    match (look.treatment, answer) {
        (Treatment::Pages, Some(Answer::Pages(Ok(ex)))) => part.body = Body::Pages(ex),
        (Treatment::Picture, Some(Answer::Picture(Ok((header, data))))) => {
            part.body = Body::Picture(header, data)
        }
        (Treatment::Pages, Some(Answer::Pages(Err(f))))
        | (Treatment::Picture, Some(Answer::Picture(Err(f)))) => {
            if matches!(f, Failure::Crashed | Failure::TimedOut) {
                withheld = attach;
                attach = false;
            }
            part.body = Body::Placeholder { reason: failed(&f), note: Note::NotAttached };
            part.failure = Some(f);
        }
        (Treatment::Pages | Treatment::Picture, _) => {
            let f = Failure::Unreadable("it was not read".into());
            part.body = Body::Placeholder { reason: failed(&f), note: Note::NotAttached };
            part.failure = Some(f);
        }
        (Treatment::Text, _) => {
            let bytes = bytes.as_deref().unwrap_or_default();
            let shown_len = bytes.len().min(MAX_TEXT_SHOWN);
            let mut text = String::from_utf8_lossy(&bytes[..shown_len]).into_owned();
            if bytes.len() > MAX_TEXT_SHOWN {
                text.push_str("\n\n");
                text.push_str(&fill(&t.text_truncated, &[("limit", human_size(MAX_TEXT_SHOWN as u64))]));
            }
            part.body = Body::Text(text);
        }
        _ => {
            let reason = match look.reason {
                "too_large" => fill(
                    &t.reason_too_large,
                    &[
                        ("size", human_size(item.state.size)),
                        ("limit", human_size(look.content.limit().min(MAX_ATTACHMENT))),
                    ],
                ),
                "picture_format" => {
                    fill(&t.reason_picture_format, &[("format", look.content.name().to_uppercase())])
                }
                _ => t.reason_type.clone(),
            };
            part.body = Body::Placeholder { reason, note: Note::NotAttached };
        }
    }
    if attach {
        match bytes {
            Some(bytes) if bytes.len() as u64 <= MAX_ATTACHMENT => {
                part.attachment = Some(Attachment {
                    name: fill(
                        &t.attachment_name,
                        &[("n", format!("{number:03}")), ("name", item.state.original_name.clone())],
                    ),
                    description: item.state.title.clone(),
                    bytes,
                });
            }
            _ => attach = false,
        }
    }
    if let Body::Placeholder { note, .. } = &mut part.body {
        *note = if attach {
            Note::Attached
        } else if withheld {
            Note::Withheld
        } else {
            Note::NotAttached
        };
    }
    part
}

/// The worker's answer for a picture: a JSON header line, then the bytes.
pub(super) fn picture(answer: &[u8]) -> std::result::Result<(Prepared, Vec<u8>), Failure> {
    let bad = |why: &str| Failure::Unreadable(why.to_owned());
    let nl = answer.iter().position(|&b| b == b'\n').ok_or_else(|| bad("no picture header"))?;
    let header: Prepared = serde_json::from_slice(&answer[..nl]).map_err(|_| bad("bad picture header"))?;
    let data = answer[nl + 1..].to_vec();
    let expected = u64::from(header.width) * u64::from(header.height) * u64::from(header.components);
    let ok = header.width > 0
        && header.height > 0
        && matches!(header.components, 1 | 3)
        && match header.encoding {
            Encoding::Rgb => data.len() as u64 == expected,
            Encoding::Jpeg => !data.is_empty(),
        };
    if !ok {
        return Err(bad("the prepared picture does not match its header"));
    }
    Ok((header, data))
}

/// The worker's answer, parsed on the pool's thread.
pub(super) enum Answer {
    Pages(std::result::Result<Box<Exhibit>, Failure>),
    Picture(std::result::Result<(Prepared, Vec<u8>), Failure>),
    /// The bytes read do not have the stored SHA-256 (this one): the journal is damaged.
    Damaged(String),
    /// Nothing to parse (text, other files): the bytes are used as they are.
    Local,
    /// The item could not be read from the journal.
    Unread(String),
}

/// One exhibit, ready to be laid out.
pub(super) struct Part {
    pub(super) number: u32,
    pub(super) evidence: i64,
    pub(super) title: String,
    pub(super) sha256: String,
    pub(super) body: Body,
    /// Why it could not be rendered, when that is the case.
    pub(super) failure: Option<Failure>,
    pub(super) attachment: Option<Attachment>,
}

pub(super) enum Body {
    Pages(Box<Exhibit>),
    Picture(Prepared, Vec<u8>),
    Text(String),
    Placeholder { reason: String, note: Note },
}

/// What a placeholder page says of the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Note {
    Attached,
    NotAttached,
    /// The person asked for it, but the reader crashed or timed out on it: it is not passed on.
    Withheld,
}
