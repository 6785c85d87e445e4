package email

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/testcert"
)

// The account the test server accepts.
const (
	testUser     = "picket"
	testPassword = "Corr3ct-h0rse-battery"
)

const installHint = "apt-get install -y python3-aiosmtpd"

// smtpServer is a real SMTP server, aiosmtpd from Debian's
// python3-aiosmtpd, run by testdata/smtpd.py on 127.0.0.1.
type smtpServer struct {
	Port int
	dir  string
}

// received is one message the server accepted, as it arrived.
type received struct {
	MailFrom string   `json:"mail_from"`
	RcptTos  []string `json:"rcpt_tos"`
	TLS      bool     `json:"tls"`
	AuthUser string   `json:"auth_user"`
	Raw      []byte   `json:"-"`
}

// aiosmtpdPython returns a Python that can import aiosmtpd: Debian's own
// first, since a python3 earlier in PATH may not see Debian's modules.
func aiosmtpdPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import aiosmtpd").Run() == nil {
			return py
		}
	}
	t.Skip("the SMTP tests need aiosmtpd: " + installHint)
	return ""
}

// startSMTP starts a server in mode starttls, tls (implicit) or plain (no
// TLS at all), using the certificate in certs; it stops when the test ends.
func startSMTP(t *testing.T, mode string, certs testCerts) *smtpServer {
	t.Helper()
	s := &smtpServer{dir: t.TempDir()}
	cmd := exec.Command(aiosmtpdPython(t), filepath.Join("testdata", "smtpd.py"), "--dir", s.dir, "--mode", mode,
		"--cert", certs.Cert, "--key", certs.Key, "--user", testUser, "--password", testPassword)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the SMTP server: %v", err)
	}
	t.Cleanup(func() { stopSMTP(cmd, stdin) })
	s.Port = readPort(t, stdout, &stderr)
	return s
}

// readPort reads the "port N" line the server prints once it listens.
func readPort(t *testing.T, stdout io.Reader, stderr *bytes.Buffer) int {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		var port int
		if _, err := fmt.Sscanf(l, "port %d", &port); err != nil {
			t.Fatalf("the SMTP server did not start (%q): %s", l, stderr)
		}
		return port
	case <-time.After(30 * time.Second):
		t.Fatal("the SMTP server did not start within 30s")
		return 0
	}
}

// stopSMTP closes the server's stdin, which ends it, and kills it if it
// does not end.
func stopSMTP(cmd *exec.Cmd, stdin io.Closer) {
	stdin.Close()
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// messages returns the messages received so far, oldest first.
func (s *smtpServer) messages(t *testing.T) []received {
	t.Helper()
	metas, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(metas, func(i, j int) bool { return seq(metas[i]) < seq(metas[j]) })
	var out []received
	for _, meta := range metas {
		var r received
		b, err := os.ReadFile(meta)
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err == nil {
			r.Raw, err = os.ReadFile(strings.TrimSuffix(meta, ".json") + ".eml")
		}
		if err != nil {
			t.Fatalf("reading a received message: %v", err)
		}
		out = append(out, r)
	}
	return out
}

func seq(path string) int {
	var n int
	fmt.Sscanf(filepath.Base(path), "%d.json", &n)
	return n
}

// testCerts is a self-signed certificate for 127.0.0.1 and localhost;
// Cert doubles as the CA file that trusts it.
type testCerts struct{ Cert, Key string }

func newTestCerts(t *testing.T) testCerts {
	t.Helper()
	dir := t.TempDir()
	c := testCerts{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
	testcert.NewCA(t, "127.0.0.1", "localhost").Write(t, c.Cert, c.Key)
	return c
}
