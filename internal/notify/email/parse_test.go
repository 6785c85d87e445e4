package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// parsedMail is what a reader's mail client makes of a received message.
type parsedMail struct {
	Subject, From, To                string
	MessageID, References, InReplyTo string
	Incident, Kind, Severity         string
	Importance, AutoSubmitted        string
	Date                             time.Time
	ContentType                      string
	Text, HTML                       string
}

// parseMail decodes raw as a mail client would: encoded words in the
// subject, addresses, and the text/plain and text/html alternatives.
func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing the message: %v\n%s", err, raw)
	}
	h := msg.Header
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatalf("decoding the subject: %v", err)
	}
	date, err := h.Date()
	if err != nil {
		t.Fatalf("the Date header: %v", err)
	}
	p := parsedMail{
		Subject: subject, From: addresses(t, h.Get("From")), To: addresses(t, h.Get("To")),
		MessageID: h.Get("Message-ID"), References: h.Get("References"), InReplyTo: h.Get("In-Reply-To"),
		Incident: h.Get("X-Picket-Incident"), Kind: h.Get("X-Picket-Kind"), Severity: h.Get("X-Picket-Severity"),
		Importance: h.Get("Importance"), AutoSubmitted: h.Get("Auto-Submitted"), Date: date,
	}
	media, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("the Content-Type header: %v", err)
	}
	p.ContentType = media
	if !strings.HasPrefix(media, "multipart/") {
		t.Fatalf("Content-Type %s, want multipart", media)
	}
	readParts(t, multipart.NewReader(msg.Body, params["boundary"]), &p)
	return p
}

// readParts fills p.Text and p.HTML from the parts of r.
func readParts(t *testing.T, r *multipart.Reader, p *parsedMail) {
	t.Helper()
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("reading a MIME part: %v", err)
		}
		var body io.Reader = part // multipart decodes quoted-printable itself
		if strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "base64") {
			body = base64.NewDecoder(base64.StdEncoding, part)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("reading a MIME part: %v", err)
		}
		text := strings.ReplaceAll(string(b), "\r\n", "\n")
		media, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch media {
		case "text/plain":
			p.Text = text
		case "text/html":
			p.HTML = text
		default:
			t.Errorf("unexpected part %s", media)
		}
	}
}

// addresses returns the bare addresses of an address list, comma-separated.
func addresses(t *testing.T, list string) string {
	t.Helper()
	as, err := mail.ParseAddressList(list)
	if err != nil {
		t.Fatalf("parsing addresses %q: %v", list, err)
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Address
	}
	return strings.Join(out, ", ")
}
