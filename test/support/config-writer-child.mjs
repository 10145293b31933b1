// Saves the config at argv[2] in a tight loop, a different room each time, until killed. The
// config-store test SIGKILLs it mid-write and checks the file is always old or new, never torn.
import { silentLogger } from '../../dist/app/log/logger.js';
import { ConfigStore } from '../../dist/main/config/config-store.js';

const store = new ConfigStore(process.argv[2], silentLogger, () => 'writer');
const { config } = await store.load();
process.stdout.write('ready\n');
for (let n = 1; ; n++) {
  // Varying lengths, so a torn write would show as a truncated or mixed file.
  await store.save({ ...config, room: `room-${n}`, key: 'k'.repeat(1 + (n % 250)) });
}
