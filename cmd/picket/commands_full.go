//go:build !agentonly

package main

import (
	"fmt"
	"io"
)

const usage = `usage:
  picket serve --config FILE [--data-dir DIR] [--listen ADDR] [--nats-listen ADDR]
  picket check TYPE TARGET [--timeout 10s] [--SETTING VALUE ...]
  picket config validate FILE
  picket incident list|show|ack|resolve|note ...
  picket notify test CHANNEL [--config FILE]
  picket agent --config FILE | picket agent enroll --key FILE

Run "picket check TYPE --help" for the settings of a probe type.
`

func commands() map[string]command {
	return map[string]command{
		"serve":    serve,
		"check":    check,
		"config":   configCmd,
		"incident": incidentCmd,
		"notify":   notifyTest,
		"agent":    agentCmd,
	}
}

func configCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == "validate" {
		return validate(args[1], stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return exitUsage
}
