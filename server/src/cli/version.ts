// The version of Topo, from package.json (the bundle keeps only this field of it).
import { version } from '../../../package.json';

export const TOPO_VERSION: string = version;

/** Where Topo's sources and documentation are. */
export const TOPO_HOME = 'https://github.com/topo-dev/topo';
