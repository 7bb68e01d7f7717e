import { type Kysely, type Migration, sql } from 'kysely';

export const customersMigrations: Record<string, Migration> = {
  '20261125_20_customers_vehicles': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE customers (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          first_name text NOT NULL,
          last_name text NOT NULL,
          language text NOT NULL CHECK (language IN ('de', 'en')),
          market text NOT NULL CHECK (market ~ '^[A-Z]{2}$'),
          phones text[] NOT NULL DEFAULT '{}',
          search_text text NOT NULL DEFAULT '',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX customers_market_name ON customers (market, last_name, first_name);
        CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
        CREATE TABLE customer_emails (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
          address citext NOT NULL,
          verified boolean NOT NULL DEFAULT false,
          is_primary boolean NOT NULL DEFAULT false,
          UNIQUE (customer_id, address)
        );
        CREATE INDEX customer_emails_address ON customer_emails (address);
        CREATE UNIQUE INDEX customer_emails_one_primary ON customer_emails (customer_id) WHERE is_primary;
        CREATE TABLE customer_consents (
          customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
          purpose text NOT NULL,
          granted boolean NOT NULL,
          source text NOT NULL,
          changed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (customer_id, purpose)
        );
        CREATE TABLE vehicles (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          vin char(17) NOT NULL UNIQUE CHECK (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
          model text NOT NULL,
          model_year integer NOT NULL CHECK (model_year BETWEEN 1990 AND 2100),
          market text NOT NULL CHECK (market ~ '^[A-Z]{2}$'),
          software_version text,
          first_registration date,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE vehicle_ownerships (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          vehicle_id uuid NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
          customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
          owned_from date NOT NULL,
          owned_until date,
          CHECK (owned_until IS NULL OR owned_until >= owned_from)
        );
        CREATE INDEX vehicle_ownerships_customer ON vehicle_ownerships (customer_id) INCLUDE (vehicle_id, owned_until);
        CREATE UNIQUE INDEX vehicle_ownerships_one_current ON vehicle_ownerships (vehicle_id) WHERE owned_until IS NULL;

        -- Search text = names + all email addresses, kept current by the database.
        CREATE FUNCTION customers_refresh_search_text(target uuid) RETURNS void LANGUAGE sql AS $$
          UPDATE customers c SET search_text = lower(c.first_name || ' ' || c.last_name || ' ' ||
            coalesce((SELECT string_agg(e.address::text, ' ') FROM customer_emails e WHERE e.customer_id = c.id), ''))
          WHERE c.id = target;
        $$;
        CREATE FUNCTION customers_search_text_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'customers' THEN
            NEW.search_text := lower(NEW.first_name || ' ' || NEW.last_name || ' ' ||
              coalesce((SELECT string_agg(e.address::text, ' ') FROM customer_emails e WHERE e.customer_id = NEW.id), ''));
            RETURN NEW;
          END IF;
          PERFORM customers_refresh_search_text(coalesce(NEW.customer_id, OLD.customer_id));
          RETURN NULL;
        END $$;
        CREATE TRIGGER customers_search_text BEFORE INSERT OR UPDATE OF first_name, last_name ON customers
          FOR EACH ROW EXECUTE FUNCTION customers_search_text_trigger();
        CREATE TRIGGER customer_emails_search_text AFTER INSERT OR UPDATE OR DELETE ON customer_emails
          FOR EACH ROW EXECUTE FUNCTION customers_search_text_trigger();
      `.execute(db);
    },
  },
  // The mail channel marks addresses that bounced (customers' markEmailBounced).
  '20261125_22_customers_email_bounced': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE customer_emails ADD COLUMN bounced_at timestamptz`.execute(db);
    },
  },
  '20261125_53_customers_name_order': {
    async up(db: Kysely<unknown>) {
      // The customer list without a search term is ordered by name: walk an index, not sort 100,000 rows.
      await sql`CREATE INDEX customers_name_order ON customers (last_name, first_name, id)`.execute(db);
    },
  },
  // A customer's search text is written once per change, not once more by every trigger that
  // touches it: each write of a customers row is a new heap tuple and new trigram index entries.
  // - An INSERT may bring the final search text with it (contactForEmail: the new sender's
  //   names and address, inserted with the address in one statement); it is kept when it starts
  //   with the row's names, else computed as before. Only a statement that inserts the
  //   customer's addresses with it may supply one: their trigger then checks it.
  // - An UPDATE of the names always computes it (the row's old text is no guide).
  // - A change of addresses recomputes it and UPDATEs the customer only when it differs; only
  //   a change of an address or of its owner can change it (not bounced_at, verified or
  //   is_primary), and an address moved to another customer refreshes both.
  '20261206_10_customers_search_text_once': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE OR REPLACE FUNCTION customers_refresh_search_text(target uuid) RETURNS void LANGUAGE sql AS $$
          UPDATE customers c SET search_text = lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(a.addresses, ''))
          FROM (SELECT string_agg(e.address::text, ' ') AS addresses FROM customer_emails e WHERE e.customer_id = target) a
          WHERE c.id = target
            AND c.search_text IS DISTINCT FROM lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(a.addresses, ''));
        $$;
        CREATE OR REPLACE FUNCTION customers_search_text_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'customers' THEN
            IF TG_OP = 'INSERT' AND NEW.search_text <> ''
                AND starts_with(NEW.search_text, lower(NEW.first_name || ' ' || NEW.last_name || ' ')) THEN
              RETURN NEW;
            END IF;
            NEW.search_text := lower(NEW.first_name || ' ' || NEW.last_name || ' ' ||
              coalesce((SELECT string_agg(e.address::text, ' ') FROM customer_emails e WHERE e.customer_id = NEW.id), ''));
            RETURN NEW;
          END IF;
          IF TG_OP = 'UPDATE' AND OLD.customer_id IS DISTINCT FROM NEW.customer_id THEN
            PERFORM customers_refresh_search_text(OLD.customer_id);
          END IF;
          PERFORM customers_refresh_search_text(coalesce(NEW.customer_id, OLD.customer_id));
          RETURN NULL;
        END $$;
        DROP TRIGGER customer_emails_search_text ON customer_emails;
        CREATE TRIGGER customer_emails_search_text AFTER INSERT OR DELETE OR UPDATE OF address, customer_id
          ON customer_emails FOR EACH ROW EXECUTE FUNCTION customers_search_text_trigger();
      `.execute(db);
    },
  },
};
