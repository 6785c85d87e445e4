package notify_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
	"github.com/picket-monitor/picket/internal/notify/webhook"
	"github.com/picket-monitor/picket/internal/secret"
)

// BenchmarkPipeline measures notifications delivered per second through
// the whole pipeline: the durable outbox on a real JetStream, a worker per
// channel, and the real webhook channel posting to a local receiver.
// channels=N spreads the messages over N channels (one worker each).
func BenchmarkPipeline(b *testing.B) {
	for _, channels := range []int{1, 8} {
		b.Run(fmt.Sprintf("channels=%d", channels), func(b *testing.B) {
			var got atomic.Int64
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				got.Add(1)
				w.WriteHeader(http.StatusNoContent)
			}))
			defer recv.Close()
			bs := startBus(b, b.TempDir())
			p := notify.NewPipeline(bs, notify.DefaultBackoff, nil, nil)
			ids, notifiers := make([]string, channels), map[string]notify.Notifier{}
			for i := range ids {
				ids[i] = fmt.Sprintf("hook%d", i)
				s := webhook.NewSettings()
				s.URL = secret.Secret(recv.URL)
				n, err := s.Notifier()
				if err != nil {
					b.Fatal(err)
				}
				notifiers[ids[i]] = n
			}
			p.SetNotifiers(notifiers)
			ctx := b.Context()
			m := notifytest.Problem()
			for i := 0; i < b.N; i++ {
				m.ID = fmt.Sprintf("inc-%d/open", i)
				if err := p.Send(ctx, ids[i%channels], m); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			go p.Run(ctx, ids)
			for got.Load() < int64(b.N) {
				time.Sleep(time.Millisecond)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "delivered/s")
		})
	}
}
