/** The full hostile-input run, 20,000 generated requests (a few minutes on 2 cores): `npm run test:chaos`. */
import { describeHostileInput } from './hostile-input-suite';

describeHostileInput(20_000);
