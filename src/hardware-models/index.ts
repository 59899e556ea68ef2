/** Hardware models: they price and time the work. */
export { catalogue, hardwareById, hardwareIds, type HardwareProfile } from './catalogue.js';
export { nodeModel, type CostBasis, type NodeModel, type Ownership } from './node-model.js';
export { GANG_SERIAL_FRACTION, gangDuration, gangEfficiency, gangSpeedup } from './gang-efficiency.js';
