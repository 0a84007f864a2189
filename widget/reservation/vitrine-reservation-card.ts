/** Registers `<vitrine-reservation-card>` (guarded: importing this twice is harmless). */
import { VitrineReservationCard } from './vitrine-reservation-card.component.js';

export * from './vitrine-reservation-card.component.js';
export default VitrineReservationCard;

VitrineReservationCard.define('vitrine-reservation-card');
