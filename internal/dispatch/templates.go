package dispatch

// The default templates. They are written for Data and use the functions
// of funcs; docs/alerting.md shows them so a user can start from them.

// defaultTitle says what and how bad, on one line.
const defaultTitle = `
{{- if .Group -}}
{{upper .Status}}: {{len .Group}} more {{plural (len .Group) "check"}} {{.GroupLabel}} — {{names .Group}}
{{- else if eq .Kind "problem" -}}
{{upper .Status}}: {{.Name}} — {{or .Reason "no reason given"}}
{{- else if eq .Kind "reminder" -}}
STILL {{upper .Status}}: {{.Name}} — {{.Status}} for {{if .Last}}over {{end}}{{duration .Downtime}}
{{- if .Reminders}} (reminder {{.Reminder}} of {{.Reminders}}{{if .Last}}, no more reminders{{end}}){{end}}
{{- else if eq .Kind "recovery" -}}
{{if .By}}RESOLVED: {{.Name}} — by {{.By}} after{{else}}UP: {{.Name}} — back after{{end}} {{duration .Downtime}}
{{- " "}}(was {{.Incident.Status}} since {{clock .Since .Time}})
{{- else if eq .Kind "acknowledged" -}}
ACK: {{.Name}} — by {{or .By "someone"}}
{{- else if eq .Kind "flapping" -}}
FLAPPING: {{.Name}} — {{if .FlapChanges}}changed {{.FlapChanges}} times in the last {{.FlapWindow}} checks
{{- else}}changing status too often{{end}}; per-change alerts paused
{{- else if eq .Kind "stable" -}}
STABLE: {{.Name}} — status settled at {{.Status}}
{{- else -}}
{{upper .Kind}}: {{.Name}} — {{.Summary}}
{{- end}}`

// defaultText is the plain-text body: since when, from where, what else,
// and the link.
const defaultText = `
{{- define "from"}}{{if .Node}}, checked from {{.Node}}{{end}}.{{end}}
{{- define "failing"}}{{title .Incident.Status}} since {{utc .Since}} ({{duration (sub .Time .Since)}} ago){{template "from" .}}{{end}}
{{- define "extra"}}
{{- if .Target}}
Target: {{.Target}}{{end}}
{{- with .Children}}
Also unreachable: {{join .}}{{end}}
{{- with .Note}}
Note by {{or .By "someone"}}: {{.Text}}{{end}}
{{- with .URL}}
{{.}}{{end}}
{{- end}}
{{- if .Group -}}
Besides {{.First}}, {{len .Group}} more {{plural (len .Group) "check"}} {{.GroupLabel}} failed{{if .Node}} (checked from {{.Node}}){{end}}:
{{- range .Group}}
- {{.Name}}: {{.Status}} since {{utc .Since}}: {{or .Reason "no reason given"}}{{with .URL}} {{.}}{{end}}
{{- end}}
{{- else if eq .Kind "problem" -}}
{{template "failing" .}}
{{- with .Incident.Muted}}{{if eq $.Step "unmuted"}}
Held back until now: muted by {{.Kind}} {{.ID}}.{{end}}{{end}}
{{- template "extra" .}}
{{- else if eq .Kind "reminder" -}}
{{template "failing" .}}
{{if .Last}}This was the last reminder.{{else}}Reminder {{.Reminder}} of {{.Reminders}}; acknowledge the incident to stop them.{{end}}
{{- template "extra" .}}
{{- else if eq .Kind "recovery" -}}
{{title .Incident.Status}} from {{utc .Since}} until {{utc .Time}} ({{duration .Downtime}}){{template "from" .}}
{{- with .By}}
Resolved by {{.}}{{with $.Comment}}: {{.}}{{end}}.{{end}}
{{- with .URL}}
{{.}}{{end}}
{{- else if eq .Kind "acknowledged" -}}
Acknowledged by {{or .By "someone"}}{{with .Comment}}: {{.}}{{end}}.
{{template "failing" .}}
{{- with .URL}}
{{.}}{{end}}
{{- else if eq .Kind "flapping" -}}
Flapping since {{utc .Since}}{{template "from" .}}
Notifications for each change are paused until it is stable; one message will say when.
{{- with .URL}}
{{.}}{{end}}
{{- else if eq .Kind "stable" -}}
Stable again at {{utc .Time}} after flapping for {{duration (sub .Time .Since)}}, status {{.Status}}{{template "from" .}}
{{- if and .Incident.ID .Incident.Open}}
{{title .Incident.Status}} since {{utc .Incident.Since}}: {{or .Reason "no reason given"}}{{end}}
{{- with .URL}}
{{.}}{{end}}
{{- else -}}
{{.Summary}}{{template "from" .}}
{{- with .URL}}
{{.}}{{end}}
{{- end}}`

// defaultHTML is the body for channels that show HTML: the same facts as
// defaultText, escaped by html/template.
const defaultHTML = `
{{- define "from"}}{{if .Node}}, checked from {{.Node}}{{end}}.{{end}}
{{- define "failing"}}<p>{{title .Incident.Status}} since {{utc .Since}} ({{duration (sub .Time .Since)}} ago){{template "from" .}}</p>{{end}}
{{- define "link"}}{{with .URL}}<p><a href="{{.}}">{{$.Incident.ID}}</a></p>{{end}}{{end}}
{{- define "extra"}}
{{- if .Target}}<p>Target: {{.Target}}</p>{{end}}
{{- with .Children}}<p>Also unreachable: {{join .}}</p>{{end}}
{{- with .Note}}<p>Note by {{or .By "someone"}}: {{.Text}}</p>{{end}}
{{- template "link" .}}
{{- end}}
{{- if .Group -}}
<p>Besides {{.First}}, {{len .Group}} more {{plural (len .Group) "check"}} {{.GroupLabel}} failed{{if .Node}} (checked from {{.Node}}){{end}}:</p>
<ul>{{range .Group}}<li>{{if .URL}}<a href="{{.URL}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}: {{.Status}} since {{utc .Since}}: {{or .Reason "no reason given"}}</li>{{end}}</ul>
{{- else if eq .Kind "problem" -}}
{{template "failing" .}}
{{- with .Incident.Muted}}{{if eq $.Step "unmuted"}}<p>Held back until now: muted by {{.Kind}} {{.ID}}.</p>{{end}}{{end}}
{{- template "extra" .}}
{{- else if eq .Kind "reminder" -}}
{{template "failing" .}}
<p>{{if .Last}}This was the last reminder.{{else}}Reminder {{.Reminder}} of {{.Reminders}}; acknowledge the incident to stop them.{{end}}</p>
{{- template "extra" .}}
{{- else if eq .Kind "recovery" -}}
<p>{{title .Incident.Status}} from {{utc .Since}} until {{utc .Time}} ({{duration .Downtime}}){{template "from" .}}</p>
{{- with .By}}<p>Resolved by {{.}}{{with $.Comment}}: {{.}}{{end}}.</p>{{end}}
{{- template "link" .}}
{{- else if eq .Kind "acknowledged" -}}
<p>Acknowledged by {{or .By "someone"}}{{with .Comment}}: {{.}}{{end}}.</p>
{{template "failing" .}}
{{- template "link" .}}
{{- else if eq .Kind "flapping" -}}
<p>Flapping since {{utc .Since}}{{template "from" .}}</p>
<p>Notifications for each change are paused until it is stable; one message will say when.</p>
{{- template "link" .}}
{{- else if eq .Kind "stable" -}}
<p>Stable again at {{utc .Time}} after flapping for {{duration (sub .Time .Since)}}, status {{.Status}}{{template "from" .}}</p>
{{- if and .Incident.ID .Incident.Open}}<p>{{title .Incident.Status}} since {{utc .Incident.Since}}: {{or .Reason "no reason given"}}</p>{{end}}
{{- template "link" .}}
{{- else -}}
<p>{{.Summary}}{{template "from" .}}</p>
{{- template "link" .}}
{{- end}}`
