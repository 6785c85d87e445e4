package bus

import (
	"errors"
	"fmt"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// Agent subjects (agent protocol v1): an agent
// with id <id> sends requests on picket.agent.<id>.{hello,metrics,procs},
// answers the server's requests on picket.agent.<id>.cmd and receives its
// replies under the inbox prefix _INBOX_picket.<id>.
const (
	agentPrefix      = "picket.agent."
	agentInboxPrefix = "_INBOX_picket."
)

// The kinds of request an agent sends, the last token of its subject.
const (
	AgentHello   = "hello"
	AgentMetrics = "metrics"
	AgentProcs   = "procs"
	agentCmd     = "cmd"
)

// AgentUser is an agent allowed to connect: its id (as check ids:
// ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$) and the public key of its NKey user
// pair ("U..."). The agent proves it holds the private key by signing the
// server's nonce; the key itself never crosses the wire.
type AgentUser struct {
	ID        string
	PublicKey string
}

// ErrBadAgentKey is returned (wrapped) for an AgentUser whose PublicKey is
// not an NKey user public key.
var ErrBadAgentKey = errors.New("not an NKey user public key (U...)")

// agentSubject returns the subject of kind for agent id.
func agentSubject(id, kind string) string { return agentPrefix + id + "." + kind }

// AgentInboxPrefix returns the inbox prefix agent id must use
// (nats.CustomInboxPrefix) for its replies to reach it.
func AgentInboxPrefix(id string) string { return agentInboxPrefix + id }

// agentPermissions are everything agent id may do: publish on its own
// subjects and answer requests it received, subscribe to its commands and
// its own inbox. Nothing else, not even the JetStream API.
func agentPermissions(id string) *server.Permissions {
	return &server.Permissions{
		Publish: &server.SubjectPermission{Allow: []string{agentPrefix + id + ".>"}},
		Subscribe: &server.SubjectPermission{Allow: []string{
			agentSubject(id, agentCmd),
			AgentInboxPrefix(id) + ".>",
		}},
		Response: &server.ResponsePermission{
			MaxMsgs: server.DEFAULT_ALLOW_RESPONSE_MAX_MSGS,
			Expires: server.DEFAULT_ALLOW_RESPONSE_EXPIRATION,
		},
	}
}

// nkeyUsers returns the server's users: self, the bus's own in-process
// connection with every permission, and one restricted user per agent.
// Agents may only connect over TCP, and self only in-process, so a leak
// of the public key self is worth nothing.
func nkeyUsers(self string, agents []AgentUser) ([]*server.NkeyUser, error) {
	if err := checkAgents(agents); err != nil {
		return nil, err
	}
	users := []*server.NkeyUser{{
		Nkey:                   self,
		AllowedConnectionTypes: map[string]struct{}{"IN_PROCESS": {}},
	}}
	for _, a := range agents {
		users = append(users, &server.NkeyUser{
			Nkey:                   a.PublicKey,
			Permissions:            agentPermissions(a.ID),
			AllowedConnectionTypes: map[string]struct{}{"STANDARD": {}},
		})
	}
	return users, nil
}

// checkAgents refuses a bad id or key, and an id or key given twice,
// reporting every problem at once. Errors name the agent, never its key.
func checkAgents(agents []AgentUser) error {
	var errs []error
	ids := make(map[string]bool, len(agents))
	keys := make(map[string]string, len(agents))
	for _, a := range agents {
		if err := checkID("agent id", a.ID); err != nil {
			errs = append(errs, err)
		}
		if !nkeys.IsValidPublicUserKey(a.PublicKey) {
			errs = append(errs, fmt.Errorf("agent %q: public key: %w", a.ID, ErrBadAgentKey))
		}
		if ids[a.ID] {
			errs = append(errs, fmt.Errorf("agent %q listed twice", a.ID))
		}
		if other, ok := keys[a.PublicKey]; ok {
			errs = append(errs, fmt.Errorf("agents %q and %q have the same public key", other, a.ID))
		}
		ids[a.ID], keys[a.PublicKey] = true, a.ID
	}
	return errors.Join(errs...)
}
