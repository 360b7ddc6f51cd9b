// `npm start`: build the UI if needed, then run the server in this process (signals reach it directly).
import { register } from 'tsx/esm/api';
import { ensureWebBuilt } from './web-build.mjs';

ensureWebBuilt();
register();
await import('../apps/server/src/main.ts');
