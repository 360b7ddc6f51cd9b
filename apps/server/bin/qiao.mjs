#!/usr/bin/env node
// The `qiao` command: runs the TypeScript CLI through tsx, the same way `npm start` runs the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
