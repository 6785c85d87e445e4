package probe

import (
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// answerValues renders the answer records of type qtype canonically, sorted
// and without duplicates; other records (a CNAME chain) are left out.
func answerValues(m *dns.Msg, qtype uint16) []string {
	var out []string
	for _, rr := range m.Answer {
		if rr.Header().Rrtype == qtype {
			out = append(out, rrValue(rr))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rrValue is the record's data as in a zone file, lower-cased, or a TXT
// record's joined text as it is.
func rrValue(rr dns.RR) string {
	if t, ok := rr.(*dns.TXT); ok {
		return strings.Join(t.Txt, "")
	}
	return strings.ToLower(strings.TrimPrefix(rr.String(), rr.Header().String()))
}

// canonicalAnswers parses expected answers as record data of type qtype and
// renders them like rrValue, sorted.
func canonicalAnswers(field string, qtype uint16, in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(in))
	for i, s := range in {
		if qtype == dns.TypeTXT {
			out = append(out, s)
			continue
		}
		rr, err := dns.NewRR(". 0 IN " + dns.TypeToString[qtype] + " " + s)
		if err != nil || rr == nil {
			return nil, fielderr.Errorf(field+"."+strconv.Itoa(i), "%q is not %s record data", s, dns.TypeToString[qtype])
		}
		out = append(out, rrValue(rr))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
