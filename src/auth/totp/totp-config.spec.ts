import { ConfigError, loadConfig } from '../../config/app-config';

describe('TOTP configuration', () => {
  const external = { DATABASE_URL: 'postgres://x/y' };

  it('requires a second factor of county_office, admin and security_admin by default', () => {
    expect(loadConfig(external).totpRequiredRoles).toEqual(['county_office', 'admin', 'security_admin']);
  });

  it('requires none by default in demo mode (embedded database, or DEMO_DATA=true), so the demo accounts stay usable', () => {
    expect(loadConfig({}).totpRequiredRoles).toEqual([]);
    expect(loadConfig({ ...external, DEMO_DATA: 'true' }).totpRequiredRoles).toEqual([]);
  });

  it('takes a comma-separated list, or none; in demo mode too when set', () => {
    expect(loadConfig({ ...external, TOTP_REQUIRED_ROLES: ' admin , township_leader' }).totpRequiredRoles).toEqual(['admin', 'township_leader']);
    expect(loadConfig({ ...external, TOTP_REQUIRED_ROLES: 'none' }).totpRequiredRoles).toEqual([]);
    expect(loadConfig({ TOTP_REQUIRED_ROLES: 'county_office' }).totpRequiredRoles).toEqual(['county_office']);
  });

  it('refuses an unknown role and a short encryption key, naming the variable', () => {
    expect(() => loadConfig({ ...external, TOTP_REQUIRED_ROLES: 'county_office,mayor' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...external, TOTP_REQUIRED_ROLES: 'mayor' })).toThrow(/TOTP_REQUIRED_ROLES/);
    expect(() => loadConfig({ ...external, TOTP_ENCRYPTION_KEY: 'too-short' })).toThrow(/TOTP_ENCRYPTION_KEY/);
    expect(loadConfig({ ...external, TOTP_ENCRYPTION_KEY: 'k'.repeat(32) }).TOTP_ENCRYPTION_KEY).toBe('k'.repeat(32));
  });
});
