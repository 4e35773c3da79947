/** Worker-thread entry of the reprojection task (./reprojection_work.ts), posted by ./reprojection_tasks.ts. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../core/worker_pool.js';
import { reprojectionTasks } from './reprojection_work.js';

serveTasks(parentPort!, reprojectionTasks);
