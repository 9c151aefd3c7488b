// SPDX-License-Identifier: GPL-3.0-or-later
// The contact list in the real main window against a real server: roster pushes from another device,
// filtering, a subscription request approved with a click, presence in rows and tooltips, and Client State
// Indication following the window's focus.
#include "Application.h"
#include "Contacts.h"
#include "OnlineAccount.h"
#include "Screenshot.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/Preferences.h"
#include "messaging/MessageService.h"
#include "models/ContactListModel.h"
#include "models/ConversationListModel.h"
#include "platform/ActivityMonitor.h"
#include "platform/TrayIcon.h"
#include "roster/AvatarService.h"
#include "roster/BlockingService.h"
#include "roster/ContactInfoService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "widgets/MainWindow.h"
#include "widgets/contacts/ContactListWidget.h"
#include "widgets/contacts/SubscriptionRequestsWidget.h"
#include "widgets/dialogs/AvatarEditorDialog.h"
#include "widgets/dialogs/BlockedListDialog.h"
#include "widgets/dialogs/ContactDetailsDialog.h"
#include "widgets/dialogs/ServerDetailsDialog.h"
#include "widgets/dialogs/SettingsDialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDomElement>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QWindow>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppLogger.h>
#include <QXmppVCardIq.h>
#include <QXmppVCardManager.h>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::App::Application;
using Role = Ui::ContactListModel::Role;

namespace {
constexpr int NetworkTimeout = 20000;

// The row of jid in the contact list, or an invalid index.
QModelIndex rowOf(const Ui::ContactListModel &model, const QString &jid)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        if (index.data(Role::JidRole).toString() == jid)
            return index;
    }
    return {};
}
// <pubsub><publish node='urn:xmpp:vcard4'> with a vCard4 naming "Ella Four", readable by contacts.
class PublishVCard4 : public QXmppIq
{
public:
    PublishVCard4() { setType(QXmppIq::Set); }
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        auto textProperty = [writer](const QString &name, const QString &child, const QString &value) {
            writer->writeStartElement(name);
            writer->writeTextElement(child, value);
            writer->writeEndElement();
        };
        writer->writeStartElement(QStringLiteral("pubsub"));
        writer->writeDefaultNamespace(QStringLiteral("http://jabber.org/protocol/pubsub"));
        writer->writeStartElement(QStringLiteral("publish"));
        writer->writeAttribute(QStringLiteral("node"), QStringLiteral("urn:xmpp:vcard4"));
        writer->writeStartElement(QStringLiteral("item"));
        writer->writeAttribute(QStringLiteral("id"), QStringLiteral("current"));
        writer->writeStartElement(QStringLiteral("vcard"));
        writer->writeDefaultNamespace(QStringLiteral("urn:ietf:params:xml:ns:vcard-4.0"));
        textProperty(QStringLiteral("fn"), QStringLiteral("text"), QStringLiteral("Ella Four"));
        textProperty(QStringLiteral("nickname"), QStringLiteral("text"), QStringLiteral("ella4"));
        textProperty(QStringLiteral("note"), QStringLiteral("text"), QStringLiteral("From vCard4"));
        writer->writeEndElement(); // vcard
        writer->writeEndElement(); // item
        writer->writeEndElement(); // publish
        writer->writeEndElement(); // pubsub
    }
};

} // namespace

class tst_UiContactList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void rosterPushFromAnotherDeviceShowsUpAndFilters();
    void subscriptionRequestIsApprovedWithAClick();
    void windowFocusDrivesClientStateIndication();
    void blockedListDialogBlocksAndUnblocks();
    void strangerMessageWaitsAmongRequests();
    void avatarEditorCropsScalesAndPublishes();
    void trayMenuShowsUnreadAndSetsEveryAccountsStatus();
    void contactDetailsShowDevicesSoftwareCardAndLastSeen();
    void serverDetailsListItsFeatures();
    void contactDetailsPreferVCard4();
    void severalAccountsShareTheListWithAnAccountFilter();
    void privacySettingsAreSavedInTheProfile();

private:
    TestServer m_server;
    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Application> m_app;
    QString m_user;
    Account *m_account = nullptr;
};

void tst_UiContactList::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_UiContactList::init()
{
    m_user = m_server.registerAccount(QStringLiteral("contacts")).value_or(QString());
    QVERIFY(!m_user.isEmpty());
    m_profile = std::make_unique<TestProfile>();
    QVERIFY(addAccountToProfile(m_server, m_user, m_profile->path()));
    m_app = std::make_unique<Application>(m_profile->path(), m_server.caCertificates());
    m_app->start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->accountManager().accounts().isEmpty(), NetworkTimeout);
    m_account = m_app->accountManager().accounts().first();
    QTRY_COMPARE_WITH_TIMEOUT(m_account->state(), ConnectionState::Online, NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_account->roster().isLoaded(), NetworkTimeout);
    m_app->mainWindow().sidebarTabs()->setCurrentIndex(1);
}

void tst_UiContactList::cleanup()
{
    if (m_app)
        m_app->accountManager().disconnectAll();
    m_app.reset();
    m_profile.reset();
}

void tst_UiContactList::rosterPushFromAnotherDeviceShowsUpAndFilters()
{
    Ui::ContactListWidget *list = m_app->mainWindow().contactList();
    QVERIFY(list->isVisible());
    Ui::ContactListModel &model = *list->model();
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    AccountConfig phoneConfig = m_server.accountConfig(m_user);
    phoneConfig.resource = QStringLiteral("phone");
    Account phone(phoneConfig);
    phone.setPassword(m_server.account(m_user).password);
    phone.setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(goOnline(&phone));
    const QString friendJid = QStringLiteral("friend@") + m_server.domain;
    const QString colleagueJid = QStringLiteral("colleague@") + m_server.domain;
    phone.roster().add(friendJid, QStringLiteral("Friend"), {QStringLiteral("Family")});
    phone.roster().add(colleagueJid, QString(), {});

    QTRY_VERIFY_WITH_TIMEOUT(rowOf(model, friendJid).isValid() && rowOf(model, colleagueJid).isValid(),
                             NetworkTimeout);
    const QModelIndex friendRow = rowOf(model, friendJid);
    QCOMPARE(friendRow.data(Role::NameRole).toString(), QStringLiteral("Friend"));
    QCOMPARE(friendRow.data(Role::GroupRole).toString(), QStringLiteral("Family"));
    QCOMPARE(friendRow.data(Role::ShowRole).toInt(), int(PresenceShow::Offline));
    // The group row above it counts its members.
    const QModelIndex header = model.index(friendRow.row() - 1);
    QCOMPARE(header.data(Role::KindRole).toInt(), int(Ui::ContactListModel::RowKind::Group));
    QCOMPARE(header.data(Role::TotalCountRole).toInt(), 1);
    // No name: the address is shown, among the ungrouped contacts.
    QCOMPARE(rowOf(model, colleagueJid).data(Role::NameRole).toString(), colleagueJid);
    QCOMPARE(rowOf(model, colleagueJid).data(Role::GroupRole).toString(),
             Ui::ContactListModel::ungroupedName());
    QCOMPARE(model.contactCount(), 2);

    QTest::keyClicks(list->filterField(), QStringLiteral("FRI"));
    QCOMPARE(model.contactCount(), 1);
    QVERIFY(rowOf(model, friendJid).isValid());
    QVERIFY(!rowOf(model, colleagueJid).isValid());
    list->filterField()->clear();
    QCOMPARE(model.contactCount(), 2);

    phone.roster().remove(friendJid);
    QTRY_VERIFY_WITH_TIMEOUT(!rowOf(model, friendJid).isValid(), NetworkTimeout);
    QCOMPARE(model.contactCount(), 1);
    phone.disconnectFromServer();
}

void tst_UiContactList::subscriptionRequestIsApprovedWithAClick()
{
    const QString otherUser = m_server.registerAccount(QStringLiteral("asker")).value_or(QString());
    QVERIFY(!otherUser.isEmpty());
    auto other = onlineAccount(m_server, otherUser);
    QVERIFY(other);
    other->setOwnPresence({PresenceShow::Away, QStringLiteral("Back soon"), 0});
    other->subscriptions().requestSubscription(m_account->jid(), QStringLiteral("Hello from the test"));
    other->subscriptions().preApprove(m_account->jid());

    Ui::SubscriptionRequestsWidget *requests = m_app->mainWindow().contactList()->requests();
    QTRY_COMPARE_WITH_TIMEOUT(requests->requestCount(), 1, NetworkTimeout);
    QVERIFY(requests->isVisible());
    auto *row =
        requests->findChild<QFrame *>(QStringLiteral("request:") + m_account->jid() + u'/' + other->jid());
    QVERIFY(row);
    auto *approve = row->findChild<QPushButton *>(QStringLiteral("approveButton"));
    QVERIFY(approve);
    QTest::mouseClick(approve, Qt::LeftButton);

    QTRY_COMPARE_WITH_TIMEOUT(requests->requestCount(), 0, NetworkTimeout);
    auto subscriptionAt = [](Account *account, const QString &jid) {
        const auto item = account->roster().item(jid);
        return item ? item->subscription : RosterItem::Subscription::None;
    };
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionAt(m_account, other->jid()), RosterItem::Subscription::Both,
                              NetworkTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionAt(other.get(), m_account->jid()), RosterItem::Subscription::Both,
                              NetworkTimeout);
    // Their presence now reaches the list: the row shows it, the tooltip names the device.
    const Ui::ContactListModel &model = *m_app->mainWindow().contactList()->model();
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(model, other->jid()).data(Role::ShowRole).toInt(),
                              int(PresenceShow::Away), NetworkTimeout);
    QCOMPARE(rowOf(model, other->jid()).data(Role::StatusRole).toString(), QStringLiteral("Back soon"));
    const QString tip = rowOf(model, other->jid()).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(other->config().resource), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Back soon")), qPrintable(tip));
}

void tst_UiContactList::windowFocusDrivesClientStateIndication()
{
    QStringList sent;
    auto *logger = new QXmppLogger(&m_account->client());
    logger->setLoggingType(QXmppLogger::SignalLogging);
    logger->setMessageTypes(QXmppLogger::SentMessage);
    connect(logger, &QXmppLogger::message, this,
            [&sent](QXmppLogger::MessageType, const QString &text) { sent.append(text); });
    m_account->client().setLogger(logger);
    const auto detach = qScopeGuard([this, logger] {
        m_account->client().setLogger(nullptr);
        delete logger;
    });
    auto countOf = [&sent](const QString &element) {
        return sent.filter(QStringLiteral("<%1 xmlns=\"urn:xmpp:csi:0\"/>").arg(element)).size();
    };

    Ui::MainWindow &window = m_app->mainWindow();
    Ui::ActivityMonitor *monitor = window.activityMonitor();
    monitor->setInactiveDelay(0);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_VERIFY(monitor->isUserActive());
    QVERIFY(m_account->isActive());

    // No Natter window has the focus: the server hears "inactive".
    window.hide();
    QTRY_VERIFY_WITH_TIMEOUT(!monitor->isUserActive(), 5000);
    QVERIFY(!m_account->isActive());
    QTRY_COMPARE_WITH_TIMEOUT(countOf(QStringLiteral("inactive")), 1, 5000);

    // A Natter window has the focus again (the offscreen platform activates only new windows, so a second
    // top-level window stands in for the main window coming back).
    QWidget other;
    other.show();
    other.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&other));
    QTRY_VERIFY_WITH_TIMEOUT(monitor->isUserActive(), 5000);
    QVERIFY(m_account->isActive());
    QTRY_COMPARE_WITH_TIMEOUT(countOf(QStringLiteral("active")), 1, 5000);

    // A locked screen counts as nobody looking, whatever has the focus.
    QVERIFY(QMetaObject::invokeMethod(monitor, "screenLockChanged", Q_ARG(bool, true)));
    QVERIFY(!monitor->isUserActive());
    QTRY_COMPARE_WITH_TIMEOUT(countOf(QStringLiteral("inactive")), 2, 5000);
    QVERIFY(QMetaObject::invokeMethod(monitor, "screenLockChanged", Q_ARG(bool, false)));
    QVERIFY(monitor->isUserActive());
    QTRY_COMPARE_WITH_TIMEOUT(countOf(QStringLiteral("active")), 2, 5000);
}

void tst_UiContactList::blockedListDialogBlocksAndUnblocks()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_account->blocking().isLoaded(), NetworkTimeout);
    Ui::BlockedListDialog dialog(*m_account);
    QCOMPARE(dialog.list()->count(), 0);

    QTest::keyClicks(dialog.addressField(), QStringLiteral("not a valid@@address"));
    dialog.blockEntered();
    QTRY_VERIFY(!dialog.errorText().isEmpty());
    QCOMPARE(dialog.list()->count(), 0);

    const QString spammer = QStringLiteral("spammer@") + m_server.domain;
    dialog.addressField()->clear();
    QTest::keyClicks(dialog.addressField(), spammer);
    QTest::keyClick(dialog.addressField(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.list()->count(), 1, NetworkTimeout);
    QCOMPARE(dialog.list()->item(0)->text(), spammer);
    QVERIFY(dialog.errorText().isEmpty());
    QVERIFY(m_account->blocking().isBlocked(spammer));

    dialog.list()->setCurrentRow(0);
    dialog.unblockSelected();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.list()->count(), 0, NetworkTimeout);
    QVERIFY(!m_account->blocking().isBlocked(spammer));
}

void tst_UiContactList::strangerMessageWaitsAmongRequests()
{
    Ui::MainWindow &window = m_app->mainWindow();
    window.sidebarTabs()->setCurrentIndex(0);
    auto &conversations = *window.findChild<Ui::ConversationListModel *>();
    const QString strangerUser = m_server.registerAccount(QStringLiteral("stranger")).value_or(QString());
    const QString friendUser = m_server.registerAccount(QStringLiteral("friend")).value_or(QString());
    auto stranger = onlineAccount(m_server, strangerUser);
    auto contact = onlineAccount(m_server, friendUser);
    QVERIFY(stranger && contact);
    QVERIFY(succeeded(m_account->roster().add(contact->jid(), QStringLiteral("Friend"), {})));
    QTRY_VERIFY_WITH_TIMEOUT(m_account->roster().contains(contact->jid()), NetworkTimeout);

    auto say = [](Account *from, const QString &to, const QString &text) {
        auto composed = from->messages().compose(to, text);
        return isOk(composed) && isOk(waitFor(from->messages().send(std::get<ChatMessage>(composed))));
    };
    QVERIFY(say(stranger.get(), m_account->jid(), QStringLiteral("Hi, you don't know me")));
    QVERIFY(say(contact.get(), m_account->jid(), QStringLiteral("Hi, it's your friend")));
    const ConversationKey strangerChat{m_account->jid(), stranger->jid()};
    const ConversationKey friendChat{m_account->jid(), contact->jid()};
    QTRY_VERIFY_WITH_TIMEOUT(conversations.indexOf(strangerChat).isValid() &&
                                 conversations.indexOf(friendChat).isValid(),
                             NetworkTimeout);
    QVERIFY(conversations.isRequest(strangerChat));
    QVERIFY(!conversations.isRequest(friendChat));
    // Among the chats only the friend shows; the stranger waits behind "Message requests (1)".
    QListView *list = window.conversationList();
    QTRY_VERIFY(list->isRowHidden(conversations.indexOf(strangerChat).row()));
    QVERIFY(!list->isRowHidden(conversations.indexOf(friendChat).row()));
    QVERIFY(window.messageRequestsButton()->isVisibleTo(&window));
    QVERIFY(window.messageRequestsButton()->text().contains(u'1'));
    // The store agrees.
    const auto stored = waitFor(m_app->accountManager().conversationStore().conversations(m_account->jid()));
    QVERIFY(isOk(stored));
    for (const ConversationSummary &summary : std::get<QList<ConversationSummary>>(stored))
        QCOMPARE(summary.isRequest, summary.key == strangerChat);

    QTest::mouseClick(window.messageRequestsButton(), Qt::LeftButton);
    QTRY_VERIFY(!list->isRowHidden(conversations.indexOf(strangerChat).row()));
    QVERIFY(list->isRowHidden(conversations.indexOf(friendChat).row()));
    window.openConversation(strangerChat);
    QVERIFY(window.requestBar()->isVisibleTo(&window));
    auto *accept = window.requestBar()->findChild<QPushButton *>(QStringLiteral("acceptRequestButton"));
    QVERIFY(accept);
    QTest::mouseClick(accept, Qt::LeftButton);
    QVERIFY(!conversations.isRequest(strangerChat));
    QVERIFY(!window.requestBar()->isVisibleTo(&window));
    QTRY_VERIFY(!list->isRowHidden(conversations.indexOf(strangerChat).row()));
    QTRY_VERIFY(!window.messageRequestsButton()->isVisibleTo(&window));
    const auto accepted =
        waitFor(m_app->accountManager().conversationStore().conversations(m_account->jid()));
    QVERIFY(isOk(accepted));
    for (const ConversationSummary &summary : std::get<QList<ConversationSummary>>(accepted))
        QVERIFY(!summary.isRequest);
}

void tst_UiContactList::avatarEditorCropsScalesAndPublishes()
{
    // A wide photo: the centred square, scaled down to 192 px.
    QImage wide(400, 300, QImage::Format_RGB32);
    wide.fill(Qt::red);
    for (int x = 50; x < 350; ++x)
        for (int y = 0; y < 300; ++y)
            wide.setPixel(x, y, qRgb(0, 0, 255)); // the centre square is blue, the sides red
    QSize size;
    const QByteArray png = Ui::AvatarEditorDialog::prepare(wide, &size);
    QCOMPARE(size, QSize(192, 192));
    const QImage result = QImage::fromData(png, "PNG");
    QCOMPARE(result.size(), QSize(192, 192));
    QCOMPARE(QColor(result.pixel(0, 96)), QColor(Qt::blue));
    QCOMPARE(QColor(result.pixel(191, 96)), QColor(Qt::blue));
    // A small one keeps its size; nothing comes of a broken file.
    QImage small(50, 80, QImage::Format_RGB32);
    small.fill(Qt::green);
    Ui::AvatarEditorDialog::prepare(small, &size);
    QCOMPARE(size, QSize(50, 50));
    QVERIFY(Ui::AvatarEditorDialog::prepare(QImage()).isEmpty());

    // Through the dialog, as the user does it: chosen, published, seen by a contact.
    QTemporaryDir dir;
    const QString photo = dir.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(wide.save(photo, "JPG"));
    const QString broken = dir.filePath(QStringLiteral("broken.png"));
    QFile brokenFile(broken);
    QVERIFY(brokenFile.open(QIODevice::WriteOnly));
    brokenFile.write("not a picture");
    brokenFile.close();

    const QString watcherUser = m_server.registerAccount(QStringLiteral("watcher")).value_or(QString());
    auto watcher = onlineAccount(m_server, watcherUser);
    QVERIFY(watcher);
    QVERIFY(makeMutualContacts(watcher.get(), m_account, NetworkTimeout));

    Ui::AvatarEditorDialog dialog(*m_account);
    QVERIFY(!dialog.choose(broken));
    QVERIFY(dialog.choose(photo));
    QSignalSpy changed(&watcher->avatars(), &AvatarService::avatarChanged);
    dialog.publish();
    QTRY_VERIFY_WITH_TIMEOUT(!watcher->avatars().avatarFile(m_account->jid()).isEmpty(), NetworkTimeout);
    const QImage seen(watcher->avatars().avatarFile(m_account->jid()));
    QCOMPARE(seen.size(), QSize(192, 192));
    QVERIFY(dialog.statusText().contains(QStringLiteral("Done")));

    dialog.removeAvatar();
    QTRY_VERIFY_WITH_TIMEOUT(watcher->avatars().avatarFile(m_account->jid()).isEmpty(), NetworkTimeout);
}

void tst_UiContactList::trayMenuShowsUnreadAndSetsEveryAccountsStatus()
{
    // Offscreen there is no system tray to show the icon in; its menu, icon and texts are all there.
    Ui::TrayIcon *tray = m_app->mainWindow().tray();
    QVERIFY(tray);
    auto *conversations = m_app->mainWindow().findChild<Ui::ConversationListModel *>();
    QCOMPARE(tray->unread(), conversations->totalUnread());
    const QString writerUser = m_server.registerAccount(QStringLiteral("writer")).value_or(QString());
    auto writer = onlineAccount(m_server, writerUser);
    QVERIFY(writer);
    for (int i = 0; i < 3; ++i) {
        auto composed = writer->messages().compose(m_account->jid(), QStringLiteral("unread %1").arg(i));
        QVERIFY(isOk(waitFor(writer->messages().send(std::get<ChatMessage>(composed)))));
    }
    QTRY_COMPARE_WITH_TIMEOUT(tray->unread(), 3, NetworkTimeout);
    QVERIFY(tray->trayIcon().toolTip().contains(u'3'));
    QVERIFY(!tray->trayIcon().icon().isNull());

    const QStringList texts = [&] {
        QStringList all;
        for (QAction *action : tray->menu().actions())
            all.append(action->text());
        return all;
    }();
    QVERIFY(texts.contains(QStringLiteral("Quit Natter")));
    QMenu *status = tray->menu().findChild<QMenu *>(QStringLiteral("trayStatusMenu"));
    QVERIFY(status);
    m_account->setOwnPresence({PresenceShow::Available, QStringLiteral("Keep me"), 3});
    QAction *away = nullptr;
    for (QAction *action : status->actions())
        if (action->data().toInt() == int(PresenceShow::Away))
            away = action;
    QVERIFY(away);
    away->trigger();
    QCOMPARE(m_account->presence().ownPresence().show, PresenceShow::Away);
    QCOMPARE(m_account->presence().ownPresence().status, QStringLiteral("Keep me"));
    QCOMPARE(m_account->presence().ownPresence().priority, 3);
}

void tst_UiContactList::contactDetailsShowDevicesSoftwareCardAndLastSeen()
{
    const QString danaUser = m_server.registerAccount(QStringLiteral("dana")).value_or(QString());
    AccountConfig config = m_server.accountConfig(danaUser);
    config.resource = QStringLiteral("desk");
    auto dana = std::make_unique<Account>(config);
    dana->setPassword(m_server.account(danaUser).password);
    dana->setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(goOnline(dana.get()));
    QVERIFY(makeMutualContacts(m_account, dana.get(), NetworkTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(m_account->presence().presence(dana->jid()).isOnline(), NetworkTimeout);
    QXmppVCardIq card;
    card.setFullName(QStringLiteral("Dana Detail"));
    card.setNickName(QStringLiteral("<b>dana</b>")); // shown as written, never as markup
    auto published = dana->client().findExtension<QXmppVCardManager>()->setVCard(card);
    QVERIFY(QTest::qWaitFor([&published] { return published.isFinished(); }, NetworkTimeout));

    {
        Ui::ContactDetailsDialog details(*m_account, dana->jid());
        QCOMPARE(details.devices()->topLevelItemCount(), 1);
        QTreeWidgetItem *desk = details.devices()->topLevelItem(0);
        QCOMPARE(desk->text(Ui::ContactDetailsDialog::DeviceColumn), QStringLiteral("desk"));
        QTRY_VERIFY_WITH_TIMEOUT(
            desk->text(Ui::ContactDetailsDialog::SoftwareColumn).startsWith(QStringLiteral("Natter ")),
            NetworkTimeout);
        QVERIFY(details.lastSeenText().contains(QStringLiteral("Online")));
        QTRY_COMPARE_WITH_TIMEOUT(details.cardField(QStringLiteral("Full name")),
                                  QStringLiteral("Dana Detail"), NetworkTimeout);
        QCOMPARE(details.cardField(QStringLiteral("Nickname")), QStringLiteral("<b>dana</b>"));
    }
    // Offline: when they were last seen, from the server (XEP-0012).
    dana->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(!m_account->presence().presence(dana->jid()).isOnline(), NetworkTimeout);
    Ui::ContactDetailsDialog offline(*m_account, dana->jid());
    QCOMPARE(offline.devices()->topLevelItemCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(offline.lastSeenText().contains(QStringLiteral("last seen")), NetworkTimeout);
}

void tst_UiContactList::contactDetailsPreferVCard4()
{
    // A vCard4 on PEP (XEP-0292), as Conversations and Gajim publish it, wins over vcard-temp.
    const QString ellaUser = m_server.registerAccount(QStringLiteral("ella")).value_or(QString());
    auto ella = onlineAccount(m_server, ellaUser);
    QVERIFY(ella);
    QVERIFY(makeMutualContacts(m_account, ella.get(), NetworkTimeout));
    QXmppVCardIq legacy;
    legacy.setFullName(QStringLiteral("Old Name"));
    auto stored = ella->client().findExtension<QXmppVCardManager>()->setVCard(legacy);
    QVERIFY(QTest::qWaitFor([&stored] { return stored.isFinished(); }, NetworkTimeout));
    // Published by hand: QXmpp 1.10 has no vCard4 class.
    PublishVCard4 publish;
    auto published = ella->client().sendIq(std::move(publish));
    QVERIFY(QTest::qWaitFor([&published] { return published.isFinished(); }, NetworkTimeout));
    QVERIFY(std::holds_alternative<QDomElement>(published.result()));
    QTest::qWait(500);
    Ui::ContactDetailsDialog details(*m_account, ella->jid());
    QTRY_COMPARE_WITH_TIMEOUT(details.cardField(QStringLiteral("Full name")), QStringLiteral("Ella Four"),
                              NetworkTimeout);
    QCOMPARE(details.cardField(QStringLiteral("Nickname")), QStringLiteral("ella4"));
    QCOMPARE(details.cardField(QStringLiteral("About")), QStringLiteral("From vCard4"));
}

void tst_UiContactList::serverDetailsListItsFeatures()
{
    Ui::ServerDetailsDialog server(*m_account);
    QTRY_VERIFY_WITH_TIMEOUT(server.features()->count() > 0, NetworkTimeout);
    const auto value = [&server](const char *name) {
        const auto *label = server.findChild<QLabel *>(QLatin1String(name));
        return label ? label->text() : QString();
    };
    QVERIFY2(value("connectionValue").startsWith(u"TLS 1."), qPrintable(value("connectionValue")));
    QVERIFY2(value("contactsValue").contains(QStringLiteral("Admins: xmpp:admin@") + m_server.domain),
             qPrintable(value("contactsValue")));
    // The upload service comes from its own discovery (every component of the server is asked); the dialog
    // follows it.
    QTRY_VERIFY2_WITH_TIMEOUT(value("uploadValue").contains(QStringLiteral("upload.") + m_server.domain),
                              qPrintable(value("uploadValue")), NetworkTimeout);
    QVERIFY2(value("archiveValue").contains(u"all messages"), qPrintable(value("archiveValue")));
    QVERIFY2(value("pushValue").startsWith(u"offered"), qPrintable(value("pushValue")));
    server.show();
    saveScreenshot(&server, QStringLiteral("server-details.png"));
    QVERIFY(!server.features()->findItems(QStringLiteral("urn:xmpp:blocking"), Qt::MatchExactly).isEmpty());
    QVERIFY(!server.identities()->findItems(QStringLiteral("server/im"), Qt::MatchStartsWith).isEmpty());
    // Local time (XEP-0202) as the details dialog asks it of each device; the server answers it too.
    const auto time = waitTask(m_account->contactInfo().entityTime(m_server.domain), NetworkTimeout);
    QVERIFY(time && isOk(*time));
    QVERIFY(std::abs(std::get<EntityTime>(*time).utc.secsTo(QDateTime::currentDateTimeUtc())) < 120);
}

void tst_UiContactList::severalAccountsShareTheListWithAnAccountFilter()
{
    // A second account in the same profile, added while the app runs.
    const QString secondUser = m_server.registerAccount(QStringLiteral("second")).value_or(QString());
    QVERIFY(!secondUser.isEmpty());
    AccountConfig config = m_server.accountConfig(secondUser);
    config.passwordStorage = AccountConfig::PasswordStorage::ProfileFile;
    QVERIFY(isOk(waitFor(m_app->accountManager().addAccount(config, m_server.account(secondUser).password))));
    Account *second = m_app->accountManager().account(m_server.jid(secondUser));
    QVERIFY(second);
    if (second->state() != ConnectionState::Online)
        second->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(second->state() == ConnectionState::Online && second->roster().isLoaded(),
                             NetworkTimeout);
    const QString firstContact = QStringLiteral("first.contact@") + m_server.domain;
    const QString secondContact = QStringLiteral("second.contact@") + m_server.domain;
    QVERIFY(succeeded(m_account->roster().add(firstContact, QStringLiteral("First's"), {})));
    QVERIFY(succeeded(second->roster().add(secondContact, QStringLiteral("Second's"), {})));

    Ui::ContactListWidget *list = m_app->mainWindow().contactList();
    const Ui::ContactListModel &model = *list->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(model, firstContact).isValid() && rowOf(model, secondContact).isValid(),
                             NetworkTimeout);
    QCOMPARE(rowOf(model, firstContact).data(Role::AccountRole).toString(), m_account->jid());
    QCOMPARE(rowOf(model, secondContact).data(Role::AccountRole).toString(), second->jid());
    QComboBox *filter = list->accountFilter();
    QVERIFY(filter->isVisibleTo(list));
    QCOMPARE(filter->count(), 3); // all accounts, and each
    filter->setCurrentIndex(filter->findData(second->jid()));
    QVERIFY(!rowOf(model, firstContact).isValid());
    QVERIFY(rowOf(model, secondContact).isValid());
    filter->setCurrentIndex(0);
    QVERIFY(rowOf(model, firstContact).isValid() && rowOf(model, secondContact).isValid());
}

void tst_UiContactList::privacySettingsAreSavedInTheProfile()
{
    Preferences &preferences = m_app->mainWindow().preferences();
    QVERIFY(preferences.value(Preferences::Key::SendChatStates));
    QVERIFY(preferences.value(Preferences::Key::NotificationPreviews));
    QVERIFY(!preferences.value(Preferences::Key::CloseToTray));
    {
        Ui::SettingsDialog dialog(preferences);
        QCheckBox *typing = dialog.box(Preferences::Key::SendChatStates);
        QCheckBox *previews = dialog.box(Preferences::Key::NotificationPreviews);
        QVERIFY(typing && previews && typing->isChecked());
        typing->click();
        previews->click();
    }
    QVERIFY(!preferences.value(Preferences::Key::SendChatStates));
    QVERIFY(!preferences.value(Preferences::Key::NotificationPreviews));
    // What another start of the app reads from the profile.
    m_app->accountManager().database().waitForIdle();
    Preferences reloaded(m_app->accountManager().database());
    QVERIFY(isOk(waitFor(reloaded.load())));
    QVERIFY(!reloaded.value(Preferences::Key::SendChatStates));
    QVERIFY(!reloaded.value(Preferences::Key::NotificationPreviews));
    QVERIFY(reloaded.value(Preferences::Key::SendReadMarkers)); // untouched: the default
}

QTEST_MAIN(tst_UiContactList)
#include "tst_ui_contactlist.moc"
