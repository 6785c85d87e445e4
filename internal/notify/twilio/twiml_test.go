package twilio

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
)

// says parses a TwiML document strictly and returns, per <Say>, its
// attributes, the SSML elements inside it and the text it reads.
func says(t *testing.T, doc string) (attrs []map[string]string, tags [][]string, texts []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("TwiML is not well-formed: %v\n%s", err, doc)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && el.Name.Local != "Response":
				t.Fatalf("root is <%s>, want <Response>", el.Name.Local)
			case el.Name.Local == "Say":
				a := map[string]string{}
				for _, at := range el.Attr {
					a[at.Name.Local] = at.Value
				}
				attrs, tags, texts = append(attrs, a), append(tags, nil), append(texts, "")
			case depth > 2:
				tags[len(tags)-1] = append(tags[len(tags)-1], el.Name.Local)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth >= 2 && len(texts) > 0 {
				texts[len(texts)-1] += string(el)
			}
		}
	}
	return attrs, tags, texts
}

func TestTwiML(t *testing.T) {
	m := notify.Message{
		Title: `DOWN: "R&D" <api> — it's gone`,
		Text:  "Down since 20:00\nsee https://picket.example/i?a=1&b=2 now\n\x01odd",
	}
	tests := []struct {
		name, voice, lang string
		wantAttrs         map[string]string
		wantTags          []string
		wantText          string
	}{
		{"polly", "Polly.Joanna", "en-US", map[string]string{"voice": "Polly.Joanna", "language": "en-US"},
			[]string{"prosody", "break", "break"},
			`Message from Picket.DOWN: "R&D" <api> — it's gone.Down since 20:00. see now. ` + "\uFFFDodd."},
		{"google", "Google.en-GB-Standard-A", "", map[string]string{"voice": "Google.en-GB-Standard-A"},
			[]string{"prosody", "break", "break"},
			`Message from Picket.DOWN: "R&D" <api> — it's gone.Down since 20:00. see now. ` + "\uFFFDodd."},
		{"basic voice", "woman", "en-GB", map[string]string{"voice": "woman", "language": "en-GB"}, nil,
			`Message from Picket. DOWN: "R&D" <api> — it's gone. Down since 20:00. see now. ` + "\uFFFDodd."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := twiml(m, tt.voice, tt.lang)
			attrs, tags, texts := says(t, doc)
			if len(attrs) != 2 {
				t.Fatalf("got %d <Say>, want the message twice:\n%s", len(attrs), doc)
			}
			if !strings.Contains(doc, `</Say><Pause length="1"/><Say`) {
				t.Errorf("no pause between the two readings:\n%s", doc)
			}
			if diff := cmp.Diff(tt.wantAttrs, attrs[0]); diff != "" {
				t.Errorf("<Say> attributes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTags, tags[0]); diff != "" {
				t.Errorf("SSML elements (-want +got):\n%s", diff)
			}
			if texts[0] != tt.wantText {
				t.Errorf("reads %q,\nwant  %q", texts[0], tt.wantText)
			}
			if !strings.HasPrefix(texts[1], "Again.") {
				t.Errorf("second reading = %q", texts[1])
			}
		})
	}
}

func TestTwiMLLimit(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"ascii", strings.Repeat("all quiet on node-a ", 400)},
		{"escaped", strings.Repeat(`"&<>'`, 2000)},
		{"multibyte", strings.Repeat("ñandú 🦤 ", 800)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := notify.Message{Title: strings.Repeat("T", 1000), Text: tt.text}
			doc := twiml(m, DefaultVoice, DefaultLanguage)
			if len(doc) > maxTwiML {
				t.Fatalf("TwiML has %d bytes, want at most %d", len(doc), maxTwiML)
			}
			_, _, texts := says(t, doc)
			if len(texts) != 2 || !strings.Contains(texts[0], "…") {
				t.Errorf("want two readings of cut text, got %q", texts)
			}
		})
	}
}
