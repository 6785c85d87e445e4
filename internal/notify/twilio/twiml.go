package twilio

import (
	"encoding/xml"
	"strings"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits of a call's inline TwiML.
const (
	maxTwiML       = 4000 // characters of the Twiml parameter (Twilio error 32018)
	maxSpokenTitle = 300  // runes of the title read aloud
)

// twiml returns a call's instructions: the message read aloud twice with a
// pause between, so that someone who picks up late still hears it whole.
// Polly.* and Google.* voices get SSML: a slightly slower rate and a
// pause between the title and the details. Twilio's basic voices (man,
// woman, alice) do not take SSML and get plain sentences. Links are left
// out, as nobody can follow a link read aloud; the details are cut so that
// the document stays within Twilio's limit.
func twiml(m notify.Message, voice, lang string) string {
	title := notify.Clip(strings.TrimSpace(m.Title), maxSpokenTitle)
	full := spoken(m.Text)
	ssml := strings.HasPrefix(voice, "Polly.") || strings.HasPrefix(voice, "Google.")
	details, keep := full, len(full)
	doc := render(title, details, voice, lang, ssml)
	for i := 0; len(doc) > maxTwiML && keep > 0 && i < 16; i++ {
		// The details appear twice, and escaping only lengthens them, so
		// cutting half the excess from the source is about enough.
		keep -= (len(doc)-maxTwiML)/2 + 8
		details = prefix(full, keep)
		doc = render(title, details, voice, lang, ssml)
	}
	return doc
}

// render writes the TwiML document, escaping every piece of text.
func render(title, details, voice, lang string, ssml bool) string {
	var b strings.Builder
	b.WriteString("<Response>")
	for i, intro := range []string{"Message from Picket.", "Again."} {
		if i > 0 {
			b.WriteString(`<Pause length="1"/>`)
		}
		b.WriteString(`<Say voice="`)
		escape(&b, voice)
		if lang != "" {
			b.WriteString(`" language="`)
			escape(&b, lang)
		}
		b.WriteString(`">`)
		if ssml {
			b.WriteString(`<prosody rate="90%">`)
			escape(&b, intro)
			b.WriteString(`<break time="300ms"/>`)
			escape(&b, sentence(title))
			if details != "" {
				b.WriteString(`<break time="500ms"/>`)
				escape(&b, details)
			}
			b.WriteString(`</prosody>`)
		} else {
			escape(&b, strings.TrimSpace(intro+" "+sentence(title)+" "+details))
		}
		b.WriteString("</Say>")
	}
	b.WriteString("</Response>")
	return b.String()
}

func escape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder does not fail
}

// spoken turns the message text into sentences to read: one per line,
// links left out.
func spoken(text string) string {
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		var words []string
		for _, w := range strings.Fields(line) {
			if !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			parts = append(parts, sentence(strings.Join(words, " ")))
		}
	}
	return strings.Join(parts, " ")
}

// sentence ends s with a full stop unless it ends with punctuation, so
// that the voice pauses after it.
func sentence(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	if s == "" || strings.ContainsRune(".!?;:", r) {
		return s
	}
	return s + "."
}

// prefix is the first n bytes of s, cut back to a rune boundary and
// marked with "…"; "" when n is not positive.
func prefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
