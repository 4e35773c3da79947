/** Worker-thread entry of the pixel tasks (./pixel_work.ts), posted by ./pixel_tasks.ts. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../core/worker_pool.js';
import { pixelTasks } from './pixel_work.js';

serveTasks(parentPort!, pixelTasks);
