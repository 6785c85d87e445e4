package agent

import "sync/atomic"

// stats counts what happened to the agent's data, for the logs and tests.
type stats struct {
	batchesSent     atomic.Uint64 // acknowledged by the server
	batchesRejected atomic.Uint64 // refused with "retry":false and dropped
	batchesLost     atomic.Uint64 // could not be encoded, spooled or sent at all
	eventsSent      atomic.Uint64 // process births and deaths acknowledged
	eventsDropped   atomic.Uint64 // over the bound while unacknowledged, or refused
	commandsRefused atomic.Uint64 // unknown commands and actions not configured
	actionsRun      atomic.Uint64
}

// counts is a snapshot of the agent's counters.
type counts struct {
	BatchesSent, BatchesRejected, BatchesLost uint64
	EventsSent, EventsDropped                 uint64
	CommandsRefused, ActionsRun               uint64
}

func (s *stats) snapshot() counts {
	return counts{
		BatchesSent: s.batchesSent.Load(), BatchesRejected: s.batchesRejected.Load(),
		BatchesLost: s.batchesLost.Load(), EventsSent: s.eventsSent.Load(),
		EventsDropped: s.eventsDropped.Load(), CommandsRefused: s.commandsRefused.Load(),
		ActionsRun: s.actionsRun.Load(),
	}
}
