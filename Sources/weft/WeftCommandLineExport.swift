// What every subcommand shares (CLIFailure and the exit statuses, JSONOutput, JSONValue, TextFormat,
// Subprocess, ProcessLauncher, ProcessTracing) lives in WeftCommandLine, so that WeftBench can use it
// too. Exported here once, every file of `weft` sees it as when it lived in this target.
@_exported import WeftCommandLine
