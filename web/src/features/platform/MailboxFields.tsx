// Form fields shared by adding a mailbox and editing one, so both validate and behave alike.
import { NumberInput, Select, SimpleGrid, Switch, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { marketOptions, useManageableMarkets } from '../cases/admin/useManageableMarkets';

export type MailboxLanguage = 'de' | 'en';

export interface MarketLanguage {
  market: string | null;
  language: MailboxLanguage;
}

/** Where an IMAP mailbox connects to; the password is handled apart (write-only). */
export interface ImapServer {
  host: string;
  port: number;
  secure: boolean;
  user: string;
}

/** Whether the server fields are enough to connect with (the API checks the rest). */
export function imapServerComplete(server: ImapServer): boolean {
  return !!server.host.trim() && !!server.user && server.port >= 1 && server.port <= 65535;
}

/** An empty folder means the inbox, as on the server. */
export const folderOrInbox = (folder: string) => folder.trim() || 'INBOX';

/**
 * Market and language. Choosing a market proposes its language; `keepMarket` stays selectable
 * even when the admin may not manage it, so an existing mailbox's market never shows as blank.
 */
export function MarketLanguageFields({
  value,
  onChange,
  keepMarket,
}: {
  value: MarketLanguage;
  onChange: (next: MarketLanguage) => void;
  keepMarket?: string;
}) {
  const { t } = useTranslation(['platform', 'common']);
  const markets = useManageableMarkets();
  const options = marketOptions(markets);
  if (keepMarket && !options.some((option) => option.value === keepMarket))
    options.push({ value: keepMarket, label: keepMarket });
  const chooseMarket = (code: string | null) => {
    const market = markets.find((entry) => entry.code === code);
    onChange({
      market: code,
      language: market ? (market.language === 'de' ? 'de' : 'en') : value.language,
    });
  };
  return (
    <SimpleGrid cols={2}>
      <Select
        label={t('common:fields.market')}
        description={t('mailboxes.marketHint')}
        required
        data={options}
        value={value.market}
        onChange={chooseMarket}
        searchable
        data-testid="mailbox-market"
      />
      <Select
        label={t('common:fields.language')}
        description={t('mailboxes.languageHint')}
        required
        allowDeselect={false}
        data={[
          { value: 'de', label: t('common:language.names.de') },
          { value: 'en', label: t('common:language.names.en') },
        ]}
        value={value.language}
        onChange={(language) => language && onChange({ ...value, language: language as MailboxLanguage })}
        data-testid="mailbox-language"
      />
    </SimpleGrid>
  );
}

/** Host, port, TLS and user of an IMAP server; `password` goes next to the user when given. */
export function ImapServerFields({
  value,
  onChange,
  password,
}: {
  value: ImapServer;
  onChange: (next: ImapServer) => void;
  password?: ReactNode;
}) {
  const { t } = useTranslation('platform');
  // Switching TLS moves the port between the two usual ones, unless the admin chose another.
  const toggleTls = (secure: boolean) =>
    onChange({
      ...value,
      secure,
      port: value.port === 993 || value.port === 143 ? (secure ? 993 : 143) : value.port,
    });
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label={t('mailboxes.host')}
          placeholder="imap.example.com"
          required
          maxLength={253}
          value={value.host}
          onChange={(event) => onChange({ ...value, host: event.currentTarget.value })}
          data-testid="mailbox-host"
        />
        <NumberInput
          label={t('mailboxes.port')}
          required
          min={1}
          max={65535}
          allowDecimal={false}
          value={value.port}
          onChange={(port) => onChange({ ...value, port: typeof port === 'number' ? port : 0 })}
          data-testid="mailbox-port"
        />
        <Switch
          label={t('mailboxes.tls')}
          description={t('mailboxes.tlsHint')}
          checked={value.secure}
          onChange={(event) => toggleTls(event.currentTarget.checked)}
          mt="lg"
          data-testid="mailbox-tls"
        />
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <TextInput
          label={t('mailboxes.user')}
          required
          maxLength={320}
          autoComplete="off"
          value={value.user}
          onChange={(event) => onChange({ ...value, user: event.currentTarget.value })}
          data-testid="mailbox-user"
        />
        {password}
      </SimpleGrid>
    </>
  );
}

export function FolderField({ value, onChange }: { value: string; onChange: (folder: string) => void }) {
  const { t } = useTranslation('platform');
  return (
    <TextInput
      label={t('mailboxes.folder')}
      description={t('mailboxes.folderHint')}
      maxLength={200}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data-testid="mailbox-folder"
    />
  );
}
