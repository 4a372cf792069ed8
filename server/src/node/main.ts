// The Node entry of the language server (bundled to dist/server/node.js).
import { startNodeServer } from './server';

startNodeServer();
