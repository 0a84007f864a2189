/** Registers `<vitrine-reservation-picker>` (guarded: importing this twice is harmless). */
import { VitrineReservationPicker } from './vitrine-reservation-picker.component.js';

export * from './vitrine-reservation-picker.component.js';
export default VitrineReservationPicker;

VitrineReservationPicker.define('vitrine-reservation-picker');
