import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults: embedded database and broker, outbox mail', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      mqttUrl: null,
      smtpUrl: null,
      publicUrl: 'http://localhost:3000',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', /PORT="eighty" — expected a TCP port number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x" — expected a URL starting with postgres:/],
    ['MQTT_URL', 'not a url', /MQTT_URL/],
    ['SMTP_URL', 'http://mail', /SMTP_URL/],
    ['PUBLIC_URL', 'ftp://x', /PUBLIC_URL/],
    ['DEMO_DATA', 'maybe', /DEMO_DATA="maybe" — expected true or false/],
    ['SECRET_KEY', 'short', /SECRET_KEY/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('requires SECRET_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }).env).toBe('production');
  });
});
