//! E-mail (.eml, and mbox files of many messages): recognised by content,
//! parsed with mail-parser — MIME parts, base64 and quoted-printable, RFC 2047
//! encoded words, ISO-2022-JP, Shift_JIS and other charsets — and turned into
//! one decoded text per file: for each message its From, To, Cc, Reply-To
//! and Subject headers (one per line, each address as `name <address>`),
//! a blank line, then its text parts. Lines are lines of that decoded text.
//! Attachments (forwarded messages among them) are handed out apart, by
//! name and content ([`attachments`]), for the scan to read as members.

use mail_parser::{Address, Message, MessageParser, MimeHeaders};

/// Header names whose presence at the top of a file makes it a message.
const HEADERS: &[&str] = &[
    "from:",
    "to:",
    "subject:",
    "date:",
    "message-id:",
    "mime-version:",
    "received:",
    "return-path:",
];

/// Whether `bytes` are an e-mail message (or an mbox of them): the file
/// opens with header fields, among them `From:` and one of Date, Message-ID,
/// MIME-Version or Received, before the first blank line.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 << 10)];
    let Ok(head) = std::str::from_utf8(head.split(|&b| b >= 0x80).next().unwrap_or(head)) else {
        return false;
    };
    let mut lines = head.lines().peekable();
    // An mbox starts with its separator line.
    if lines.peek().is_some_and(|l| l.starts_with("From ")) {
        lines.next();
    }
    let mut seen = Vec::new();
    for line in lines.take(60) {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue; // a folded header line
        }
        let lower = line.to_ascii_lowercase();
        let Some(name) = HEADERS.iter().find(|h| lower.starts_with(*h)) else {
            // Other header fields are fine; anything else is not a header block.
            if !line.split_once(':').is_some_and(|(n, _)| !n.is_empty() && !n.contains(' ')) {
                return false;
            }
            continue;
        };
        seen.push(*name);
    }
    seen.contains(&"from:")
        && seen
            .iter()
            .any(|h| matches!(*h, "date:" | "message-id:" | "mime-version:" | "received:"))
}

/// The decoded text of every message in `bytes`.
pub fn render(bytes: &[u8]) -> String {
    let mut out = String::new();
    each_message(bytes, &mut |_, msg| message_text(msg, &mut out));
    out
}

/// Hands every message of `bytes` (one, or an mbox of many) to `each` with
/// its 1-based number.
fn each_message(bytes: &[u8], each: &mut dyn FnMut(usize, &Message<'_>)) {
    let parser = MessageParser::default();
    if bytes.starts_with(b"From ") {
        let messages = mail_parser::mailbox::mbox::MessageIterator::new(bytes);
        for (n, message) in messages.enumerate() {
            if let Ok(m) = message
                && let Some(msg) = parser.parse(m.contents())
            {
                each(n + 1, &msg);
            }
        }
    } else if let Some(msg) = parser.parse(bytes) {
        each(1, &msg);
    }
}

/// Every attachment of the messages in `bytes`, named as it names itself
/// (`attachment-N` when it does not; in an mbox, after its message's
/// number: `3/見積書.xlsx`), with its decoded content. A forwarded message
/// (message/rfc822) is an attachment too, as its raw text: an e-mail to
/// read in its turn.
pub fn attachments(bytes: &[u8], each: &mut dyn FnMut(String, &[u8])) {
    let mbox = bytes.starts_with(b"From ");
    each_message(bytes, &mut |n, msg| {
        for (i, part) in msg.attachments().enumerate() {
            // A name is one path segment: `/` and `!` would fake nesting.
            let name = part
                .attachment_name()
                .map_or_else(|| format!("attachment-{}", i + 1), |s| s.replace(['/', '!'], "_"));
            let name = if mbox { format!("{n}/{name}") } else { name };
            each(name, part.contents());
        }
    });
}

fn message_text(msg: &Message<'_>, out: &mut String) {
    let mut header = |label: &str, address: Option<&Address<'_>>| {
        if let Some(address) = address {
            let people: Vec<String> = address
                .iter()
                .map(|a| match (a.name(), a.address()) {
                    (Some(n), Some(e)) => format!("{n} <{e}>"),
                    (Some(n), None) => n.to_string(),
                    (None, Some(e)) => e.to_string(),
                    (None, None) => String::new(),
                })
                .collect();
            out.push_str(&format!("{label}: {}\n", people.join(", ")));
        }
    };
    header("From", msg.from());
    header("To", msg.to());
    header("Cc", msg.cc());
    header("Reply-To", msg.reply_to());
    if let Some(subject) = msg.subject() {
        out.push_str(&format!("Subject: {subject}\n"));
    }
    out.push('\n');
    for i in 0..msg.text_body_count() {
        if let Some(text) = msg.body_text(i) {
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_recognised_and_decoded() {
        let eml = b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <taro.yamada@docomo.ne.jp>\r\n\
To: support@example.co.jp\r\nSubject: test\r\nDate: Wed, 1 May 2024 10:00:00 +0900\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
6Zu76Kmx77yaMDkwLTU1NTUtMDEwMQo=\r\n";
        assert!(sniff(eml));
        let text = render(eml);
        assert!(
            text.starts_with(
                "From: 山田 太郎 <taro.yamada@docomo.ne.jp>\nTo: support@example.co.jp\n"
            ),
            "{text}"
        );
        assert!(text.contains("電話：090-5555-0101"), "{text}");
        assert!(!sniff(b"Subject: notes\nThis is prose, not a message.\n"));
        assert!(!sniff("氏名：山田太郎\n".as_bytes()));
    }
}
