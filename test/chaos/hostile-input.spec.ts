/** A tenth of the hostile-input run, 2,000 generated requests, as part of `npm test`. */
import { describeHostileInput } from './hostile-input-suite';

describeHostileInput(2_000);
