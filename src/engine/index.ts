/** The discrete-event kernel: it imports nothing from the markets code. */
export { Simulation, type Handler } from './simulation.js';
export { EventQueue } from './event-queue.js';
export { rngStream, seed32, type Rng } from './rng.js';
export { sampler, gaussian, type DistSpec, type Sampler } from './distributions.js';
