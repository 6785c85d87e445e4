// Command picket is the Picket monitoring server and its tools:
//
//	picket serve --config FILE [--data-dir DIR] [--listen ADDR]
//	picket check TYPE TARGET [--setting value ...]
//	picket config validate FILE
//	picket incident list|show|ack|resolve|note ...
//	picket notify test CHANNEL [--config FILE]
//	picket agent --config FILE
//	picket agent enroll --key FILE
//
// Built with -tags agentonly it is the host agent alone (picket agent and
// picket agent enroll): a third of the size, with none of the server's
// packages to load, for the hosts the agent runs on.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes of picket check follow the outcome; 3 means the command
// itself was wrong, as Nagios's UNKNOWN.
const (
	exitUp = iota
	exitDegraded
	exitDown
	exitUsage
)

// command runs a subcommand with the arguments after its name and returns
// the exit code.
type command func(args []string, stdout, stderr io.Writer) int

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to the subcommands of this build (commands and usage
// come from commands_full.go or commands_agent.go).
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	if cmd, ok := commands()[args[0]]; ok {
		return cmd(args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return exitUsage
}
