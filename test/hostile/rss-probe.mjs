// Preloaded into a CLI child process (`node --import`) by the hostile tests: on exit, writes the
// process's peak resident set size (process.resourceUsage().maxRSS, in KiB) to $HRP_DOCTOR_RSS_FILE.
import { writeFileSync } from 'node:fs';

const out = process.env.HRP_DOCTOR_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
