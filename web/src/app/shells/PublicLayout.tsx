import { Box, Container, Group } from '@mantine/core';
import { Outlet } from 'react-router';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';

/** Landing, login and password pages: the brand, the language switch and a narrow column. */
export function PublicLayout() {
  return (
    <Box mih="100vh" bg="gray.0">
      <Container size="lg" py="md">
        <Group justify="space-between">
          <Brand />
          <LanguageSwitch />
        </Group>
      </Container>
      <Container size="md" py="xl">
        <Outlet />
      </Container>
    </Box>
  );
}
