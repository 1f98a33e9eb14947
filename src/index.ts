import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { DataLakeAPI } from './api';
import {
  addSendCommand,
  confirmDestructive,
  lakeActions,
  transferActions
} from './commands';
import { StoragePanel } from './components/StoragePanel';
import { UsageStatus } from './components/UsageStatus';
import { DEFAULT_THRESHOLDS, formatBytes, IThresholds } from './format';
import { storageIcon } from './icons';
import { LakeBrowserModel } from './lake';
import { AtRiskModel, StatusModel, UsageModel } from './model';
import {
  PathWarnings,
  QuotaNotifier,
  SaveGuard,
  TransferNotifier
} from './notifications';
import { CommandIDs, IPackage, PANEL_ID, PLUGIN_ID } from './tokens';
import { TransfersModel } from './transfers';

/** Core sidebar panels use ranks below 1000; extensions go after them. */
const PANEL_RANK = 1000;

interface ISettingsValues {
  statusInterval: number;
  usageInterval: number;
  thresholds: IThresholds;
  showStatusBar: boolean;
  checkPaths: boolean;
}

function readSettings(
  settings: ISettingRegistry.ISettings | null
): ISettingsValues {
  const get = <T>(key: string, fallback: T): T =>
    (settings?.get(key).composite as T | undefined) ?? fallback;
  const warning = get('warningThreshold', DEFAULT_THRESHOLDS.warning);
  const critical = get('criticalThreshold', DEFAULT_THRESHOLDS.critical);
  return {
    statusInterval: get('statusInterval', 30),
    usageInterval: get('usageInterval', 60),
    // A critical threshold below the warning one would make "warning" unreachable.
    thresholds: { warning: Math.min(warning, critical), critical },
    showStatusBar: get('showStatusBar', true),
    checkPaths: get('checkPathsOnSave', true)
  };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'A Storage panel: home usage, what vanishes at restart, and the S3 data lake.',
  autoStart: true,
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ISettingRegistry,
    IStatusBar,
    ITranslator,
    IFileBrowserFactory
  ],
  activate: async (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    statusBar: IStatusBar | null,
    translator: ITranslator | null,
    browsers: IFileBrowserFactory | null
  ) => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_datalake');

    let settings: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        settings = await settingRegistry.load(PLUGIN_ID);
      } catch (reason) {
        console.error('jupyterlab-datalake: settings failed to load', reason);
      }
    }
    let values = readSettings(settings);

    const api = new DataLakeAPI(app.serviceManager.serverSettings);
    const status = new StatusModel({ api, interval: values.statusInterval });
    const atRisk = new AtRiskModel({ api });
    const usage = new UsageModel({
      api,
      contents: app.serviceManager.contents,
      thresholds: values.thresholds,
      interval: values.usageInterval
    });
    const transfers = new TransfersModel({ api });

    const openPanel = () => app.shell.activateById(PANEL_ID);
    const showSection = (selector: string) => {
      openPanel();
      panel.node.querySelector(selector)?.scrollIntoView({ block: 'start' });
    };
    const quotaActions = {
      openPanel,
      showLargestFiles: () => showSection('.jp-DataLake-largestFiles')
    };

    /** Paths in the usage view are relative to home; the file browser's are to its root. */
    const contentsPath = (relative: string): string | null => {
      const home = usage.usage?.home_in_contents;
      return home === null || home === undefined
        ? null
        : PathExt.join(home, relative);
    };
    const showInFileBrowser = (relative: string) => {
      const path = contentsPath(relative);
      if (path === null) {
        Notification.warning(
          trans.__(
            'Your home is outside the folder JupyterLab shows, so it cannot be opened there.'
          )
        );
        return;
      }
      void app.commands.execute('filebrowser:go-to-path', { path: `/${path}` });
    };

    const showTransfers = () => showSection('.jp-DataLake-transfers');
    const showPath = (path: string) =>
      void app.commands.execute('filebrowser:go-to-path', { path: `/${path}` });
    const actions = transferActions(transfers, trans, showTransfers, showPath);
    const lake = new LakeBrowserModel({ api, transfers });
    // A finished download shows in the file browser at once, not at its next poll.
    transfers.finished.connect((_, transfer) => {
      if (transfer.direction === 'download' && transfer.state === 'done') {
        browsers?.tracker.forEach(browser => void browser.model.refresh());
      }
    });
    const send = addSendCommand({
      app,
      status,
      transfers,
      trans,
      browsers,
      palette,
      openPanel,
      showTransfers
    });

    const emptyTrash = async () => {
      const trash = usage.usage?.trash;
      const confirmed = await confirmDestructive(
        trans,
        trans.__('Empty trash?'),
        trans._n(
          'Delete %1 file (%2) from the trash for good? This cannot be undone.',
          'Delete %1 files (%2) from the trash for good? This cannot be undone.',
          trash?.files ?? 0,
          formatBytes(trash?.bytes ?? 0)
        ),
        trans.__('Empty trash')
      );
      if (!confirmed) {
        return;
      }
      try {
        const { freed, failed } = await usage.emptyTrash();
        if (failed.length > 0) {
          Notification.warning(
            trans.__(
              'Freed %1; %2 could not be deleted.',
              formatBytes(freed),
              failed.join(', ')
            )
          );
        } else {
          Notification.success(
            trans.__('Trash emptied: %1 freed.', formatBytes(freed)),
            {
              autoClose: 5000
            }
          );
        }
      } catch (error) {
        Notification.error(
          trans.__('The trash could not be emptied: %1', String(error))
        );
      }
    };

    const rescue = async (path: string) => {
      try {
        const result = await atRisk.rescue([path]);
        void usage.refresh();
        const moved = result.rescued[0];
        const relative = PathExt.join(
          result.folder,
          PathExt.basename(moved.destination)
        );
        Notification.success(
          trans.__('Moved %1 into your home: %2', path, relative),
          {
            autoClose: 8000,
            actions: [
              {
                label: trans.__('Show in file browser'),
                callback: () => showInFileBrowser(relative)
              }
            ]
          }
        );
      } catch (error) {
        Notification.error(
          trans.__('%1 was not moved: %2', path, (error as Error).message)
        );
      }
    };

    const copyPipCommand = (packages: IPackage[]) => {
      const specs = packages.map(p => `${p.name}==${p.version}`).join(' ');
      Clipboard.copyToSystem(`pip install --user ${specs}`);
      Notification.info(
        trans.__(
          'Copied: pip install --user %1. Run it in a terminal to keep these packages in your home.',
          specs
        ),
        { autoClose: 8000 }
      );
    };

    const panel = new StoragePanel({
      status,
      usage,
      atRisk,
      transfers,
      translator,
      onShow: showInFileBrowser,
      onEmptyTrash: () => void emptyTrash(),
      onRescue: path => void rescue(path),
      onCopyPipCommand: copyPipCommand,
      transferActions: actions,
      lake,
      lakeActions: lakeActions({
        app,
        model: lake,
        status,
        trans,
        browsers,
        showTransfers
      }),
      onSendFromHome: relative => {
        const path = contentsPath(relative);
        if (path !== null) {
          void send([path]);
        }
      },
      onSendToLake: path => void send([path])
    });
    app.shell.add(panel, 'left', { rank: PANEL_RANK });
    restorer?.add(panel, PANEL_ID);

    new QuotaNotifier(usage, trans, quotaActions);
    new TransferNotifier(transfers, trans, actions);
    new PathWarnings(
      trans,
      () => {
        const risk = atRisk.atRisk;
        const home = risk?.home ?? usage.usage?.home;
        if (!home) {
          return null;
        }
        const locations = risk
          ? risk.locations.filter(l => !l.persistent).map(l => l.path)
          : ['/tmp', '/var/tmp', '/dev/shm'];
        return { home, locations };
      },
      () => values.checkPaths
    ).attach(app.docRegistry);
    new SaveGuard(api, usage, trans, quotaActions).attach(app.docRegistry);

    if (statusBar) {
      const item = new UsageStatus(usage, trans, openPanel);
      const activeChanged = new Signal<unknown, void>(item);
      statusBar.registerStatusItem(`${PLUGIN_ID}:usage`, {
        item,
        align: 'left',
        rank: 4,
        isActive: () => values.showStatusBar,
        activeStateChanged: activeChanged
      });
      const syncItem = () => usage.setVisible(item, values.showStatusBar);
      settings?.changed.connect(() => {
        values = readSettings(settings);
        usage.thresholds = values.thresholds;
        activeChanged.emit();
        syncItem();
      });
      syncItem();
    }

    void status.start();
    void usage.start();
    void atRisk.start();
    void transfers.start();

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open Storage Panel'),
      icon: args => (args['isPalette'] ? undefined : storageIcon),
      execute: openPanel
    });
    app.commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Check Data Lake Connection'),
      execute: () => status.refresh()
    });
    app.commands.addCommand(CommandIDs.refreshUsage, {
      label: trans.__('Rescan Home Usage'),
      execute: () => usage.rescan()
    });
    const category = trans.__('Storage');
    for (const command of [
      CommandIDs.openPanel,
      CommandIDs.refreshStatus,
      CommandIDs.refreshUsage
    ]) {
      palette?.addItem({ command, category });
    }
  }
};

export default plugin;
