package collector

import "testing"

func TestParseUptime(t *testing.T) {
	tests := []struct {
		file    string
		want    float64
		wantErr string
	}{
		{file: "proc/uptime", want: 3783},
		{file: "uptime/whole", want: 12345},
		{file: "uptime/almost-a-day", want: 86399}, // rounded down, never up
		{file: "uptime/not-a-number", wantErr: "not a number"},
		{file: "uptime/empty", wantErr: "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseUptime(readTestdata(t, tt.file))
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseUptime: error %q, want one containing %q", msg, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("parseUptime = %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkParseUptime(b *testing.B) {
	data := readTestdata(b, "proc/uptime")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseUptime(data); err != nil {
			b.Fatal(err)
		}
	}
}
