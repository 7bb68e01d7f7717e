import {
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../../cases/api';
import { AttachmentPicker, useAttachmentUploads } from '../../cases/components/AttachmentPicker';
import { type CaseTopic, caseTopics } from '../../cases/types';
import { customerKeys, customersApi } from '../../customers/api';

/** An owner opens a request: topic, optionally the vehicle, subject, text and files. */
export function NewCasePage() {
  const { t } = useTranslation(['portal', 'common']);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mine = useQuery({ queryKey: customerKeys.mine, queryFn: customersApi.mine });
  const uploads = useAttachmentUploads();
  const [topic, setTopic] = useState<CaseTopic | null>(null);
  const [vehicleId, setVehicleId] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [touched, setTouched] = useState(false);

  const create = useMutation({
    mutationFn: casesApi.createAsCustomer,
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      queryClient.setQueryData(caseKeys.detail(created.number), created);
      notifySuccess(t('newCase.created', { number: created.number }));
      navigate(`/portal/cases/${encodeURIComponent(created.number)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!topic || !subject.trim() || !body.trim()) return;
    create.mutate({
      topic,
      subject: subject.trim(),
      body: body.trim(),
      ...(vehicleId ? { vehicleId } : {}),
      attachmentIds: uploads.items.map((item) => item.id),
    });
  };
  const required = (value: string | null) => (touched && !value?.trim() ? t('newCase.required') : undefined);
  const vehicles = (mine.data?.vehicles ?? []).map((vehicle) => ({
    value: vehicle.id,
    label: `${vehicle.model} · ${vehicle.vin}`,
  }));

  return (
    <Stack data-testid="portal-new-case-page">
      <Breadcrumbs>
        <Anchor component={Link} to="/portal" size="sm">
          {t('cases.title')}
        </Anchor>
        <span>{t('newCase.title')}</span>
      </Breadcrumbs>
      <Stack gap={4}>
        <Title order={2}>{t('newCase.title')}</Title>
        <Text c="dimmed">{t('cases.help')}</Text>
      </Stack>
      <Card withBorder padding="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group grow align="flex-start">
              <Select
                label={t('newCase.topic')}
                placeholder={t('newCase.topicPlaceholder')}
                data={caseTopics.map((value) => ({ value, label: t(`newCase.topics.${value}`) }))}
                value={topic}
                onChange={(value) => setTopic(value as CaseTopic | null)}
                error={required(topic)}
                withAsterisk
                data-testid="portal-case-topic"
              />
              <Select
                label={t('newCase.vehicle')}
                placeholder={t('newCase.noVehicle')}
                data={vehicles}
                value={vehicleId}
                onChange={setVehicleId}
                clearable
                data-testid="portal-case-vehicle"
              />
            </Group>
            <TextInput
              label={t('newCase.subject')}
              value={subject}
              onChange={(event) => setSubject(event.currentTarget.value)}
              error={required(subject)}
              withAsterisk
              maxLength={200}
              data-testid="portal-case-subject"
            />
            <Textarea
              label={t('newCase.body')}
              description={t('newCase.bodyHint')}
              value={body}
              onChange={(event) => setBody(event.currentTarget.value)}
              error={required(body)}
              withAsterisk
              autosize
              minRows={6}
              data-testid="portal-case-body"
            />
            <AttachmentPicker
              uploads={uploads}
              buttonTestId="portal-case-attach"
              inputTestId="portal-case-file"
            />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to="/portal">
                {t('common:actions.cancel')}
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={uploads.uploading}
                data-testid="portal-case-submit"
              >
                {t('newCase.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
