package main

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
)

// pubCounter reads what a NATS client sends and adds up the payload bytes
// of its PUB and HPUB messages by the last token of their subject
// (metrics, procs, hello), so the batches' share of the wire is known.
type pubCounter struct {
	mu      sync.Mutex // protects the fields below
	buf     []byte
	skip    int // payload bytes (and CRLF) still to skip
	subject string
	bySubj  map[string]int64
}

func newPubCounter() *pubCounter { return &pubCounter{bySubj: map[string]int64{}} }

func (p *pubCounter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		if p.skip > 0 {
			n := min(p.skip, len(p.buf))
			p.buf, p.skip = p.buf[n:], p.skip-n
			if p.skip > 0 {
				break
			}
		}
		i := bytes.Index(p.buf, []byte("\r\n"))
		if i < 0 {
			break
		}
		p.line(string(p.buf[:i]))
		p.buf = p.buf[i+2:]
	}
	p.buf = append([]byte(nil), p.buf...) // do not pin what was read
	return len(b), nil
}

// line handles one protocol line: PUB subject [reply] size, or HPUB
// subject [reply] hdrsize size; the others carry no payload.
func (p *pubCounter) line(l string) {
	f := strings.Fields(l)
	if len(f) < 3 || (f[0] != "PUB" && f[0] != "HPUB") {
		return
	}
	size, err := strconv.Atoi(f[len(f)-1])
	if err != nil {
		return
	}
	subj := f[1][strings.LastIndexByte(f[1], '.')+1:]
	p.bySubj[subj] += int64(size)
	p.skip = size + 2
}

func (p *pubCounter) get(subj string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bySubj[subj]
}
