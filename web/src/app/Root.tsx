import { Outlet } from 'react-router';
import { StepUpProvider } from '../features/identity/stepup/StepUpProvider';
import { useProfileLanguageSync } from './language';

/** The root route: app-wide dialogs and the language reconciliation live here. */
export function Root() {
  useProfileLanguageSync();
  return (
    <StepUpProvider>
      <Outlet />
    </StepUpProvider>
  );
}
