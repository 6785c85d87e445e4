//go:build agentonly

package main

const usage = `usage (the agent-only build of picket):
  picket agent --config FILE [--log-level LEVEL]
  picket agent enroll --key FILE
`

func commands() map[string]command {
	return map[string]command{"agent": agentCmd}
}
