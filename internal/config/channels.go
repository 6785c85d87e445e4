package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/channel"
)

// Channel is one configured notification channel. Its YAML keys are id,
// type and the fields of its type's Settings, side by side.
type Channel struct {
	// ID names the channel in checks' notify lists and in routes.
	ID string `yaml:"id"`
	// Type is a name from the channel registry (channel.Names).
	Type string `yaml:"type"`
	// Settings are the decoded type-specific settings, with every relative
	// *_file path resolved against the config file's directory.
	Settings notify.Settings `yaml:"-"`
	// Notifier is built by Settings.Notifier() at load.
	Notifier notify.Notifier `yaml:"-"`
	// Fingerprint is a hash of the channel as written (key order, comments
	// and quoting ignored) and, through the same keyed HMAC as a check's,
	// of the files and secrets its settings use. Equal fingerprints within
	// one process mean the channel did not change on reload, so its
	// notifier can be kept.
	Fingerprint string `yaml:"-"`
}

// Channel returns the channel with the given id.
func (c *Config) Channel(id string) (*Channel, bool) {
	return byID(c.Channels, id, func(ch *Channel) string { return ch.ID })
}

// channels decodes the channels section, a list of channels.
func (d *decoder) channels(n *yaml.Node, c *Config) {
	srcs := d.items(n, "channels", "channel", "channels")
	c.Channels = decodeItems(d, srcs, d.channel, func(ch Channel) string { return ch.ID })
}

// channel decodes, validates and builds one channel.
func (d *decoder) channel(src source) Channel {
	var ch Channel
	settings := d.channelSettings(src)
	targets := []reflect.Value{reflect.ValueOf(&ch).Elem()}
	if settings != nil {
		targets = append(targets, reflect.ValueOf(settings).Elem())
	}
	// Without a known type, keys other than id and type cannot be judged.
	d.fields(src.node, src.path, "channel", settings == nil, targets...)
	d.requireKeys(src, "id")
	d.checkID(src, ch.ID)
	if settings == nil {
		return ch
	}
	resolveFiles(settings, d.dir)
	sealed := seal(settings)
	ch.Settings = settings
	ch.Notifier = d.notifier(src, settings)
	ch.Fingerprint = itemFingerprint(src.node, sealed)
	return ch
}

// channelSettings returns fresh settings for the channel's type, or nil
// when the type is missing or unknown, which it reports.
func (d *decoder) channelSettings(src source) notify.Settings {
	s, _ := typedSettings(d, src, "channel", channel.Names(), func(name string) (func() notify.Settings, bool) {
		t, ok := channel.Lookup(name)
		return t.New, ok
	})
	return s
}

// notifier builds the channel's notifier, placing each *fielderr.Error
// at its field and any other error at the channel. A field that already
// has a problem from decoding is not reported twice.
func (d *decoder) notifier(src source, s notify.Settings) notify.Notifier {
	nt, err := s.Notifier()
	if err == nil && (nt == nil || reflect.ValueOf(nt).Kind() == reflect.Pointer && reflect.ValueOf(nt).IsNil()) {
		err = errors.New("channel type built no notifier")
	}
	d.fieldProblems(src, err, "")
	if err != nil {
		return nil
	}
	return nt
}

// itemFingerprint hashes mapping n in canonical form (see canonical) with
// sealed, the seal of the files and secrets it uses.
func itemFingerprint(n *yaml.Node, sealed []byte) string {
	// Marshalling cannot fail: there are only strings, maps and slices.
	b, _ := json.Marshal(canonical(n))
	h := sha256.New()
	h.Write(b)
	h.Write(sealed)
	return hex.EncodeToString(h.Sum(nil)[:16])
}
