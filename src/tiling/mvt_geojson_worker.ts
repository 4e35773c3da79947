/** Worker-thread entry of the vector-tile → GeoJSON task (./mvt_geojson.ts), posted by ./mvt_geojson_tasks.ts. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../core/worker_pool.js';
import { geojsonTasks } from './mvt_geojson.js';

serveTasks(parentPort!, geojsonTasks);
